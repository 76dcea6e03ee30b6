#include "ApiCommands.h"

#include "CommandOutput.h"
#include "EdgeSession.h"

#include "api/AuditLog.h"
#include "api/KeyStore.h"
#include "crypto/SecureFile.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>

namespace signiq::edge {

namespace {

QString keysUsage()
{
    return QStringLiteral(
        "Usage: signiq-edge keys <create|list|revoke|rotate> --db FILE --key-file FILE [options]\n"
        "  create --scope S [--scope S...] [--tier free|pro|enterprise] [--env live|test] [--name N] [--expires ISO]\n"
        "         prints the new API key ONCE on stdout (only its SHA-256 is stored)\n"
        "  list   [--json]\n"
        "  revoke KEY_ID            immediate\n"
        "  rotate KEY_ID [--overlap-s N]   new secret printed once; the old one stays valid N s (0..604800, default 86400)\n");
}

void auditCli(const storage::EncryptedDatabase &db, const QString &action, const QString &target, const QString &result)
{
    const core::SystemClock clock;
    if (auto recorded = api::AuditLog(db, clock).record(api::AuditEvent{QStringLiteral("cli"), QString(), action, target, result}); !recorded)
        printErr(QStringLiteral("signiq-edge: warning: cannot write the audit entry: %1\n").arg(recorded.error().message));
}

} // namespace

int runKeysCommand(const QStringList &args)
{
    if (args.isEmpty() || args.first().startsWith(QLatin1Char('-'))) {
        if (!args.isEmpty() && (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h"))) {
            printOut(keysUsage());
            return ExitOk;
        }
        printErr(keysUsage());
        return ExitUsage;
    }
    const QString sub = args.first();
    if (sub != QLatin1String("create") && sub != QLatin1String("list") && sub != QLatin1String("revoke") && sub != QLatin1String("rotate"))
        return fail(QStringLiteral("unknown keys command '%1' (create, list, revoke, rotate)").arg(sub), ExitUsage);
    QCommandLineParser parser;
    EdgeSessionOptions::addOptions(parser);
    const QCommandLineOption scope(QStringLiteral("scope"), QStringLiteral("Scope (repeat or comma-separated): read, write, analytics, export, webhooks, calibrate, admin."), QStringLiteral("S"));
    const QCommandLineOption tier(QStringLiteral("tier"), QStringLiteral("Rate-limit tier: free, pro, enterprise (default free)."), QStringLiteral("T"), QStringLiteral("free"));
    const QCommandLineOption env(QStringLiteral("env"), QStringLiteral("live (default) or test."), QStringLiteral("E"), QStringLiteral("live"));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("A label for people."), QStringLiteral("N"));
    const QCommandLineOption expires(QStringLiteral("expires"), QStringLiteral("Expiry, ISO 8601 with zone."), QStringLiteral("ISO"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("JSON output."));
    const QCommandLineOption overlap(QStringLiteral("overlap-s"), QStringLiteral("Rotation overlap in seconds (0..604800)."), QStringLiteral("N"), QStringLiteral("86400"));
    for (const auto &o : {scope, tier, env, name, expires, json, overlap})
        parser.addOption(o);
    if (auto code = parseCommandLine(parser, QStringLiteral("keys ") + sub, args.mid(1)))
        return *code;
    const QStringList positional = parser.positionalArguments();
    const bool needsId = sub == QLatin1String("revoke") || sub == QLatin1String("rotate");
    if (needsId ? positional.size() != 1 : !positional.isEmpty())
        return fail(needsId ? QStringLiteral("keys %1 needs exactly one KEY_ID").arg(sub)
                            : QStringLiteral("unexpected argument '%1'").arg(positional.first()),
                    ExitUsage);

    // Validate the request before opening anything.
    api::KeyRequest request;
    if (sub == QLatin1String("create")) {
        QStringList names;
        for (const QString &v : parser.values(scope))
            names += v.split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (names.isEmpty())
            return fail(QStringLiteral("keys create needs --scope (e.g. --scope admin)"), ExitUsage);
        auto scopes = api::scopesFromNames(names);
        if (!scopes)
            return fail(QStringLiteral("--scope: ") + scopes.error().message, ExitUsage);
        request.scopes = *scopes;
        auto t = api::tierFromName(parser.value(tier));
        if (!t)
            return fail(QStringLiteral("--tier: ") + t.error().message, ExitUsage);
        request.tier = *t;
        if (parser.value(env) != QLatin1String("live") && parser.value(env) != QLatin1String("test"))
            return fail(QStringLiteral("--env must be live or test, not '%1'").arg(parser.value(env)), ExitUsage);
        request.environment = parser.value(env) == QLatin1String("test") ? api::KeyEnvironment::Test : api::KeyEnvironment::Live;
        request.name = parser.value(name);
        if (parser.isSet(expires)) {
            const auto t2 = api::parseTime(parser.value(expires));
            if (!t2)
                return fail(QStringLiteral("--expires '%1' is not an ISO 8601 time with zone").arg(parser.value(expires)), ExitUsage);
            request.expiresAtMs = *t2;
        }
    }
    bool overlapOk = false;
    const qint64 overlapS = parser.value(overlap).toLongLong(&overlapOk);
    if (!overlapOk || overlapS < 0 || overlapS * 1000 > api::KeyStore::MaxRotationOverlapMs)
        return fail(QStringLiteral("--overlap-s must be 0..604800, not '%1'").arg(parser.value(overlap)), ExitUsage);

    auto options = EdgeSessionOptions::fromParser(parser);
    if (!options)
        return fail(options.error(), ExitUsage);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    const core::SystemClock clock;
    api::KeyStore keys(session->database(), clock);

    if (sub == QLatin1String("create")) {
        auto created = keys.create(request);
        if (!created)
            return fail(created.error(), created.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
        auditCli(session->database(), QStringLiteral("key.create"), created->info.keyId,
                 QStringLiteral("ok: scopes %1, tier %2").arg(api::scopeNames(created->info.scopes).join(QLatin1Char(' ')), api::tierName(created->info.tier)));
        printErr(QStringLiteral("signiq-edge: created API key %1 (scopes %2, tier %3). It is shown once and cannot be recovered:\n")
                     .arg(created->info.keyId, api::scopeNames(created->info.scopes).join(QLatin1Char(',')), api::tierName(created->info.tier)));
        printOut(created->token + QLatin1Char('\n'));
        return ExitOk;
    }
    if (sub == QLatin1String("list")) {
        auto list = keys.list();
        if (!list)
            return fail(list.error());
        const qint64 now = clock.nowMs();
        if (parser.isSet(json)) {
            QJsonArray array;
            for (const auto &k : *list)
                array.append(k.toJson(now));
            printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
            return ExitOk;
        }
        printOut(QStringLiteral("%1 %2 %3 %4 %5  %6\n").arg(QStringLiteral("id"), -12).arg(QStringLiteral("state"), -8)
                     .arg(QStringLiteral("tier"), -10).arg(QStringLiteral("env"), -4).arg(QStringLiteral("last used"), -24).arg(QStringLiteral("scopes")));
        for (const auto &k : *list)
            printOut(QStringLiteral("%1 %2 %3 %4 %5  %6\n").arg(k.keyId, -12).arg(k.state(now), -8).arg(api::tierName(k.tier), -10)
                         .arg(k.environment == api::KeyEnvironment::Live ? QStringLiteral("live") : QStringLiteral("test"), -4)
                         .arg(k.lastUsedAtMs ? api::isoTime(*k.lastUsedAtMs) : QStringLiteral("never"), -24)
                         .arg(api::scopeNames(k.scopes).join(QLatin1Char(','))));
        return ExitOk;
    }
    const QString keyId = positional.first();
    if (sub == QLatin1String("revoke")) {
        auto revoked = keys.revoke(keyId);
        if (!revoked)
            return fail(revoked.error());
        auditCli(session->database(), QStringLiteral("key.revoke"), keyId, QStringLiteral("ok"));
        printOut(QStringLiteral("revoked %1\n").arg(keyId));
        return ExitOk;
    }
    auto rotated = keys.rotate(keyId, overlapS * 1000);
    if (!rotated)
        return fail(rotated.error());
    auditCli(session->database(), QStringLiteral("key.rotate"), keyId, QStringLiteral("ok: overlap %1 s").arg(overlapS));
    printErr(QStringLiteral("signiq-edge: new secret for %1; the old one stays valid for %2 s. Shown once:\n").arg(keyId).arg(overlapS));
    printOut(rotated->token + QLatin1Char('\n'));
    return ExitOk;
}

int runAuditCommand(const QStringList &args)
{
    const QString usage = QStringLiteral(
        "Usage: signiq-edge audit verify (--db FILE --key-file FILE | --file EXPORT)\n"
        "       signiq-edge audit export --db FILE --key-file FILE [--format jsonl|csv] [--out FILE]\n");
    if (args.isEmpty() || (args.first() != QLatin1String("verify") && args.first() != QLatin1String("export"))) {
        if (!args.isEmpty() && (args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h"))) {
            printOut(usage);
            return ExitOk;
        }
        printErr(usage);
        return ExitUsage;
    }
    const QString sub = args.first();
    QCommandLineParser parser;
    EdgeSessionOptions::addOptions(parser);
    const QCommandLineOption file(QStringLiteral("file"), QStringLiteral("Verify an exported file on its own (no database needed)."), QStringLiteral("EXPORT"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("jsonl (default) or csv."), QStringLiteral("F"), QStringLiteral("jsonl"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Write the export here (mode 0600, never overwritten) instead of stdout."), QStringLiteral("FILE"));
    for (const auto &o : {file, format, out})
        parser.addOption(o);
    if (auto code = parseCommandLine(parser, QStringLiteral("audit ") + sub, args.mid(1)))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), ExitUsage);

    if (sub == QLatin1String("verify") && parser.isSet(file)) {
        auto verified = api::verifyAuditExportFile(parser.value(file));
        if (!verified)
            return fail(verified.error());
        if (!verified->intact())
            return fail(parser.value(file) + QStringLiteral(": ") + verified->summary());
        printOut(parser.value(file) + QStringLiteral(": ") + verified->summary() + QLatin1Char('\n'));
        return ExitOk;
    }
    if (sub == QLatin1String("export") && parser.value(format) != QLatin1String("jsonl") && parser.value(format) != QLatin1String("csv"))
        return fail(QStringLiteral("--format must be jsonl or csv"), ExitUsage);
    auto options = EdgeSessionOptions::fromParser(parser);
    if (!options)
        return fail(options.error(), ExitUsage);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    if (sub == QLatin1String("verify")) {
        auto verified = api::verifyAuditLog(session->database());
        if (!verified)
            return fail(verified.error());
        if (!verified->intact())
            return fail(options->dbPath + QStringLiteral(": ") + verified->summary());
        printOut(options->dbPath + QStringLiteral(": ") + verified->summary() + QLatin1Char('\n'));
        return ExitOk;
    }
    auditCli(session->database(), QStringLiteral("audit.export"), parser.value(format), QStringLiteral("ok"));
    const core::SystemClock clock;
    auto entries = api::AuditLog(session->database(), clock).all();
    if (!entries)
        return fail(entries.error());
    const QByteArray data = parser.value(format) == QLatin1String("csv") ? protocol::AuditChain::toCsv(*entries) : protocol::AuditChain::toJsonLines(*entries);
    if (parser.isSet(out)) {
        if (auto written = crypto::securefile::writeFile(parser.value(out), data, 0600, crypto::securefile::Replace::Never); !written)
            return fail(written.error());
        printErr(QStringLiteral("signiq-edge: %1 audit entries written to %2\n").arg(entries->size()).arg(parser.value(out)));
        return ExitOk;
    }
    printOut(QString::fromUtf8(data));
    return ExitOk;
}

} // namespace signiq::edge
