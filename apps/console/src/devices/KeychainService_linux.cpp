#include "devices/KeychainService.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusError>
#include <QDBusReply>
#include <QLibrary>
#include <QStringList>

namespace signiq::console {

KeychainServiceState detectKeychainService()
{
    KeychainServiceState state;
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        const QString detail = bus.lastError().message();
        state.reason = detail.isEmpty() ? QStringLiteral("there is no D-Bus session bus")
                                        : QStringLiteral("there is no D-Bus session bus (%1)").arg(detail);
        return state;
    }
    QDBusConnectionInterface *iface = bus.interface();
    if (!iface) {
        state.reason = QStringLiteral("the D-Bus session bus does not answer");
        return state;
    }
    QStringList names;
    if (const QDBusReply<QStringList> registered = iface->registeredServiceNames(); registered.isValid())
        names += registered.value();
    if (const QDBusReply<QStringList> activatable = iface->activatableServiceNames(); activatable.isValid())
        names += activatable.value();

    if (names.contains(QStringLiteral("org.freedesktop.secrets"))) {
        // QtKeychain talks to the Secret Service through libsecret, which it loads at run time.
        QLibrary libsecret(QStringLiteral("secret-1"), 0);
        if (!libsecret.load()) {
            state.reason = QStringLiteral("a Secret Service is on the session bus, but libsecret is not installed "
                                          "(Debian: libsecret-1-0)");
            return state;
        }
        state.available = true;
        state.service = QStringLiteral("Secret Service");
        return state;
    }
    for (const QString &kwallet : {QStringLiteral("org.kde.kwalletd6"), QStringLiteral("org.kde.kwalletd5"),
                                   QStringLiteral("org.kde.kwalletd")})
        if (names.contains(kwallet)) {
            state.available = true;
            state.service = QStringLiteral("KWallet");
            return state;
        }
    state.reason = QStringLiteral("no Secret Service (GNOME Keyring, KWallet) is running on the D-Bus session bus");
    return state;
}

} // namespace signiq::console
