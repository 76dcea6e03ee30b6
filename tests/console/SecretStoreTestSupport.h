#pragma once
// Shared by the secret-store tests: a private session bus that offers no service, and the
// Devices page wired to the real QtKeychain store and the real SQLCipher file store.
#include "CertificateDialog.h"
#include "DevicesPage.h"
#include "devices/CertificateTrust.h"
#include "devices/DeviceRegistry.h"
#include "devices/DeviceSession.h"
#include "devices/DevicesViewModel.h"
#include "devices/EncryptedFileSecretStore.h"
#include "devices/KeychainSecretStore.h"
#include "devices/KeychainService.h"
#include "devices/SecretStoreSelector.h"
#include "client/FakeDeviceConnector.h"

#include <QCoreApplication>
#include <QFile>
#include <QFuture>
#include <QProcess>
#include <QStandardPaths>

namespace signiq::console::test {

template <typename T>
T await(QFuture<T> future)
{
    while (!future.isFinished())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    return future.result();
}

// A session bus that offers nothing: no Secret Service, no KWallet, nothing activatable.
const char *const EmptyBusConfig =
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:tmpdir=%1</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n";
struct Console {
    explicit Console(const QString &dir, SecretStoreSelector::Choice choice, const core::Clock &clock,
                     SecretStoreSelector::ServiceProbe probe = &detectKeychainService)
        : registry(dir + QStringLiteral("/devices.json")), connector(clock), keychain(QStringLiteral("signiq-console-test")),
          file(dir + QStringLiteral("/secrets.db"), dir + QStringLiteral("/secrets.key")),
          selector(keychain, file, choice, std::move(probe)), trust(clock),
          model(registry, connector, selector, trust, session, clock), page(model, selector)
    {
    }
    DeviceRegistry registry;
    FakeDeviceConnector connector;
    KeychainSecretStore keychain;
    EncryptedFileSecretStore file;
    SecretStoreSelector selector;
    CertificateTrust trust;
    DeviceSession session;
    DevicesViewModel model;
    DevicesPage page;
};

// Starts `bus` as a dbus-daemon with EmptyBusConfig in `dir`: its address, or empty with `error` set.
inline QByteArray startEmptySessionBus(QProcess &bus, const QString &dir, QString &error)
{
    const QString dbusDaemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (dbusDaemon.isEmpty()) {
        error = QStringLiteral("dbus-daemon is missing (Debian: dbus-daemon)");
        return {};
    }
    QFile config(dir + QStringLiteral("/bus.conf"));
    if (!config.open(QIODevice::WriteOnly)) {
        error = QStringLiteral("cannot write %1: %2").arg(config.fileName(), config.errorString());
        return {};
    }
    config.write(QString::fromUtf8(EmptyBusConfig).arg(dir).toUtf8());
    config.close();
    bus.start(dbusDaemon, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--nofork"), QStringLiteral("--nopidfile"),
                           QStringLiteral("--print-address=1")});
    if (!bus.waitForStarted()) {
        error = bus.errorString();
        return {};
    }
    QByteArray address;
    while (!address.contains('\n') && bus.waitForReadyRead(10'000))
        address += bus.readAllStandardOutput();
    if (!address.startsWith("unix:")) {
        error = QStringLiteral("dbus-daemon printed no address: ") + QString::fromUtf8(address);
        return {};
    }
    return address.trimmed();
}

} // namespace signiq::console::test
