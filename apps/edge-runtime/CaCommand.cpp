#include "CaCommand.h"

#include "CommandOutput.h"
#include "SignalStop.h"

#include "core/Clock.h"
#include "crypto/CertificateAuthority.h"
#include "enroll/DeviceIdentityStore.h"
#include "enroll/EnrollmentClient.h"
#include "enroll/EnrollmentServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

namespace signiq::edge {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

struct CaFiles {
    QString dir;
    QString cert() const { return QDir(dir).filePath(QStringLiteral("ca.crt")); }
    QString key() const { return QDir(dir).filePath(QStringLiteral("ca.key")); }
    QString tokens() const { return QDir(dir).filePath(QStringLiteral("tokens.json")); }
    QString revocations() const { return QDir(dir).filePath(QStringLiteral("revocations.json")); }
    QString serverIdentity() const { return QDir(dir).filePath(QStringLiteral("server.pem")); }
};

std::optional<int> requireOptions(const QCommandLineParser &parser, const QString &command, const QStringList &names)
{
    for (const QString &name : names) {
        if (parser.value(name).isEmpty())
            return fail(QStringLiteral("%1 needs --%2 (try signiq-edge %1 --help)").arg(command, name), ExitUsage);
    }
    return std::nullopt;
}

int caInit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create the deployment CA (EC P-256): DIR/ca.crt and DIR/ca.key (mode 0600)."));
    parser.addOption({QStringLiteral("dir"), QStringLiteral("CA directory."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("CA name (default: Signiq deployment CA)."), QStringLiteral("NAME"),
                      QStringLiteral("Signiq deployment CA")});
    parser.addOption({QStringLiteral("days"), QStringLiteral("Lifetime in days (default 3650)."), QStringLiteral("N"), QStringLiteral("3650")});
    if (auto code = parseCommandLine(parser, QStringLiteral("ca init"), args))
        return *code;
    if (auto code = requireOptions(parser, QStringLiteral("ca init"), {QStringLiteral("dir")}))
        return *code;
    const CaFiles files{parser.value(QStringLiteral("dir"))};
    if (!QDir().mkpath(files.dir))
        return fail(QStringLiteral("cannot create %1").arg(files.dir));
    QFile::setPermissions(files.dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    core::SystemClock clock;
    auto ca = crypto::CertificateAuthority::create(parser.value(QStringLiteral("name")), parser.value(QStringLiteral("days")).toLongLong() * kDayMs, clock);
    if (!ca)
        return fail(ca.error());
    if (auto ok = ca->save(files.cert(), files.key()); !ok)
        return fail(ok.error());
    printOut(QStringLiteral("created deployment CA %1 (valid until %2)\n  certificate %3 (give it to devices with their token)\n  private key %4 (mode 0600; keep it here)\n")
                 .arg(ca->certificate().subjectCommonName(),
                      QDateTime::fromMSecsSinceEpoch(ca->certificate().notAfterMs(), Qt::UTC).toString(Qt::ISODate), files.cert(), files.key()));
    return ExitOk;
}

int caToken(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a one-time enrollment token for one device."));
    parser.addOption({QStringLiteral("dir"), QStringLiteral("CA directory."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("device"), QStringLiteral("Device name (certificate CN)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("dns"), QStringLiteral("DNS name for the certificate (repeatable)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("ip"), QStringLiteral("IP address for the certificate (repeatable)."), QStringLiteral("IP")});
    parser.addOption({QStringLiteral("ttl-minutes"), QStringLiteral("Token lifetime (default 15)."), QStringLiteral("N"), QStringLiteral("15")});
    if (auto code = parseCommandLine(parser, QStringLiteral("ca token"), args))
        return *code;
    if (auto code = requireOptions(parser, QStringLiteral("ca token"), {QStringLiteral("dir"), QStringLiteral("device")}))
        return *code;
    const CaFiles files{parser.value(QStringLiteral("dir"))};
    if (!QFileInfo::exists(files.cert()))
        return fail(QStringLiteral("%1 has no CA; create one with: signiq-edge ca init --dir %1").arg(files.dir));
    core::SystemClock clock;
    enroll::EnrollmentTokens tokens(clock, files.tokens());
    QStringList dns = parser.values(QStringLiteral("dns"));
    if (dns.isEmpty())
        dns << parser.value(QStringLiteral("device"));
    auto token = tokens.issue({parser.value(QStringLiteral("device")), dns, parser.values(QStringLiteral("ip")), 0},
                              parser.value(QStringLiteral("ttl-minutes")).toLongLong() * 60 * 1000);
    if (!token)
        return fail(token.error(), ExitUsage);
    printOut(*token + QLatin1Char('\n'));
    return ExitOk;
}

int caRevoke(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Revoke a device certificate by serial number (hex)."));
    parser.addOption({QStringLiteral("dir"), QStringLiteral("CA directory."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("serial"), QStringLiteral("Certificate serial number (hex)."), QStringLiteral("HEX")});
    if (auto code = parseCommandLine(parser, QStringLiteral("ca revoke"), args))
        return *code;
    if (auto code = requireOptions(parser, QStringLiteral("ca revoke"), {QStringLiteral("dir"), QStringLiteral("serial")}))
        return *code;
    const CaFiles files{parser.value(QStringLiteral("dir"))};
    auto ca = crypto::CertificateAuthority::load(files.cert(), files.key());
    if (!ca)
        return fail(ca.error());
    core::SystemClock clock;
    enroll::EnrollmentTokens tokens(clock, files.tokens());
    enroll::EnrollmentAuthority::Settings settings;
    settings.revocationStorePath = files.revocations();
    enroll::EnrollmentAuthority authority(std::move(*ca), tokens, clock, settings);
    if (auto ok = authority.revoke(parser.value(QStringLiteral("serial"))); !ok)
        return fail(ok.error(), ok.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    printOut(QStringLiteral("revoked %1; devices refuse it once they fetch the revocation list\n")
                 .arg(*crypto::canonicalSerialHex(parser.value(QStringLiteral("serial")))));
    return ExitOk;
}

int caServe(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the enrollment server (TLS 1.3) until SIGINT/SIGTERM."));
    parser.addOption({QStringLiteral("dir"), QStringLiteral("CA directory."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("listen"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")});
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port (default 8444; 0 = any, printed)."), QStringLiteral("PORT"), QStringLiteral("8444")});
    parser.addOption({QStringLiteral("host"), QStringLiteral("Name devices use to reach this server (repeatable; default localhost)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("cert-days"), QStringLiteral("Device certificate lifetime (default 30)."), QStringLiteral("N"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("cert-seconds"),
                      QStringLiteral("Device certificate lifetime in seconds, overriding --cert-days (for renewal drills and tests)."),
                      QStringLiteral("N")});
    if (auto code = parseCommandLine(parser, QStringLiteral("ca serve"), args))
        return *code;
    if (auto code = requireOptions(parser, QStringLiteral("ca serve"), {QStringLiteral("dir")}))
        return *code;
    const CaFiles files{parser.value(QStringLiteral("dir"))};
    auto ca = crypto::CertificateAuthority::load(files.cert(), files.key());
    if (!ca)
        return fail(ca.error());
    core::SystemClock clock;
    QHostAddress address;
    if (!address.setAddress(parser.value(QStringLiteral("listen"))))
        return fail(QStringLiteral("--listen '%1' is not an IP address").arg(parser.value(QStringLiteral("listen"))), ExitUsage);
    // The server's own certificate, re-issued at every start (short-lived, from the same CA).
    QStringList hosts = parser.values(QStringLiteral("host"));
    if (hosts.isEmpty())
        hosts << QStringLiteral("localhost");
    auto serverKey = crypto::PrivateKey::generateEcP256();
    if (!serverKey)
        return fail(serverKey.error());
    crypto::IssueOptions options;
    options.dnsNames = hosts;
    if (address != QHostAddress(QHostAddress::Any) && address != QHostAddress(QHostAddress::AnyIPv4) && address != QHostAddress(QHostAddress::AnyIPv6))
        options.ipAddresses << address.toString();
    options.lifetimeMs = 30 * kDayMs;
    options.clientAuth = false;
    auto serverCert = ca->issue(*crypto::CertificateRequest::create(*serverKey, QStringLiteral("signiq-enrollment")), options, clock);
    if (!serverCert)
        return fail(serverCert.error());
    const crypto::TlsIdentity identity{serverCert->toQSslCertificate(), {}, serverKey->toQSslKey()};

    enroll::EnrollmentTokens tokens(clock, files.tokens());
    enroll::EnrollmentAuthority::Settings settings;
    settings.certificateLifetimeMs = parser.value(QStringLiteral("cert-days")).toLongLong() * kDayMs;
    if (parser.isSet(QStringLiteral("cert-seconds"))) {
        bool ok = false;
        const qint64 seconds = parser.value(QStringLiteral("cert-seconds")).toLongLong(&ok);
        if (!ok || seconds < 2)
            return fail(QStringLiteral("--cert-seconds must be a whole number of at least 2"), ExitUsage);
        settings.certificateLifetimeMs = seconds * 1000;
    }
    if (settings.certificateLifetimeMs <= 0)
        return fail(QStringLiteral("--cert-days must be a positive whole number"), ExitUsage);
    settings.revocationStorePath = files.revocations();
    enroll::EnrollmentAuthority authority(std::move(*ca), tokens, clock, settings);
    enroll::EnrollmentServer server(authority, identity);
    if (auto ok = server.listen(address, quint16(parser.value(QStringLiteral("port")).toUInt())); !ok)
        return fail(ok.error());
    printOut(QStringLiteral("enrollment server listening on %1:%2 (TLS 1.3)\n").arg(address.toString()).arg(server.port()));
    installStopSignalHandlers();
    QTimer stopPoll;
    QObject::connect(&stopPoll, &QTimer::timeout, &stopPoll, [] {
        if (stopSignalReceived())
            QCoreApplication::exit(0);
    });
    stopPoll.start(200);
    return QCoreApplication::exec() == 0 ? ExitOk : ExitFailure;
}

} // namespace

int runCaCommand(const QStringList &args)
{
    const QString sub = args.value(0);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1StringView("init"))
        return caInit(rest);
    if (sub == QLatin1StringView("token"))
        return caToken(rest);
    if (sub == QLatin1StringView("revoke"))
        return caRevoke(rest);
    if (sub == QLatin1StringView("serve"))
        return caServe(rest);
    const QString usage = QStringLiteral(
        "Usage: signiq-edge ca <init|token|revoke|serve> --dir DIR [options]\n"
        "  init    create the deployment CA (DIR/ca.crt, DIR/ca.key 0600)\n"
        "  token   one-time enrollment token for a device (--device NAME [--dns N] [--ip IP] [--ttl-minutes 15])\n"
        "  revoke  revoke a device certificate (--serial HEX)\n"
        "  serve   run the TLS 1.3 enrollment server ([--listen ADDR] [--port 8444] [--host NAME])\n");
    if (sub == QLatin1StringView("--help") || sub == QLatin1StringView("-h")) {
        printOut(usage);
        return ExitOk;
    }
    printErr(usage);
    return ExitUsage;
}

int runEnrollCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Enroll this device: create a key and CSR, present the one-time token to the CA holder over TLS 1.3 and\n"
        "store the certificate (DIR/device.pem, 0600), the CA (DIR/ca.crt) and the revocation list (DIR/crl.pem)."));
    parser.addOption({QStringLiteral("server"), QStringLiteral("Enrollment server HOST:PORT."), QStringLiteral("HOST:PORT")});
    parser.addOption({QStringLiteral("token"), QStringLiteral("One-time enrollment token."), QStringLiteral("TOKEN")});
    parser.addOption({QStringLiteral("ca-cert"), QStringLiteral("The deployment CA certificate (delivered with the token)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("Identity directory."), QStringLiteral("DIR")});
    if (auto code = parseCommandLine(parser, QStringLiteral("enroll"), args))
        return *code;
    if (auto code = requireOptions(parser, QStringLiteral("enroll"), {QStringLiteral("server"), QStringLiteral("token"), QStringLiteral("ca-cert"), QStringLiteral("dir")}))
        return *code;
    const QString server = parser.value(QStringLiteral("server"));
    const qsizetype colon = server.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const quint16 port = colon > 0 ? quint16(server.mid(colon + 1).toUInt(&portOk)) : 0;
    if (!portOk || port == 0)
        return fail(QStringLiteral("--server '%1' must be HOST:PORT").arg(server), ExitUsage);
    auto ca = crypto::Certificate::load(parser.value(QStringLiteral("ca-cert")));
    if (!ca)
        return fail(ca.error());
    auto key = crypto::PrivateKey::generateEcP256();
    if (!key)
        return fail(key.error());
    auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("signiq-edge"));
    if (!csr)
        return fail(csr.error());
    enroll::EnrollmentClient client({server.left(colon), port, ca->toQSslCertificate()});
    QEventLoop loop;
    QObject::connect(&client, &enroll::EnrollmentClient::finished, &loop, &QEventLoop::quit);
    client.enroll(parser.value(QStringLiteral("token")), csr->toPem());
    loop.exec();
    if (!client.result())
        return fail(client.result().error());
    core::SystemClock clock;
    enroll::DeviceIdentityStore store(parser.value(QStringLiteral("dir")));
    if (auto ok = store.save(*key, *client.result(), clock, ca->toQSslCertificate()); !ok)
        return fail(ok.error());
    auto cert = store.certificate();
    printOut(QStringLiteral("enrolled as %1 (serial %2, valid until %3); identity in %4\n")
                 .arg(cert->subjectCommonName(), cert->serialHex(),
                      QDateTime::fromMSecsSinceEpoch(cert->notAfterMs(), Qt::UTC).toString(Qt::ISODate), store.identityPath()));
    printOut(QStringLiteral("TLS certificate SHA-256 fingerprint: %1 (the console shows it when this device is added)\n")
                 .arg(fingerprintText(cert->sha256Fingerprint())));
    return ExitOk;
}

} // namespace signiq::edge
