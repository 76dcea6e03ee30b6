#include "ApiCommands.h"

#include "AuditKey.h"
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
        "Usage: signiq-edge keys <create|list|revoke|rotate> --db FILE --key-file FILE [--audit-key-file FILE] [options]\n"
        "  create --scope S [--scope S...] [--tier free|pro|enterprise] [--env live|test] [--name N] [--expires ISO]\n"
        "         prints the new API key ONCE on stdout (only its SHA-256 is stored)\n"
        "  list   [--json]\n"
        "  revoke KEY_ID            immediate\n"
        "  rotate KEY_ID [--overlap-s N]   new secret printed once; the old one stays valid N s (0..604800, default 86400)\n");
}

api::AuditEvent cliEvent(const QString &action, const QString &target, const QString &result)
{
    return api::AuditEvent{QStringLiteral("cli"), QString(), action, target, result};
}

int verifyExit(const QString &what, const core::Result<api::AuditVerification> &verified)
{
    if (!verified)
        return fail(verified.error());
    if (verified->broken())
        return fail(what + QStringLiteral(": ") + verified->summary());
    if (!verified->intact()) {
        printErr(what + QStringLiteral(": ") + verified->summary() + QLatin1Char('\n'));
        return ExitUnverified;
    }
    printOut(what + QStringLiteral(": ") + verified->summary() + QLatin1Char('\n'));
    return ExitOk;
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
    addAuditKeyOption(parser);
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
    auto auditKey = loadAuditKey(parser, options->keyFile);
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    const core::SystemClock clock;
    api::KeyStore keys(session->database(), clock);
    // Every change and its audit entry in one transaction: if the entry cannot be written
    // (e.g. a signed log and no --audit-key-file), the key is not changed either.
    api::AuditLog audit(session->database(), clock, *auditKey ? &**auditKey : nullptr);

    if (sub == QLatin1String("create")) {
        std::optional<api::CreatedKey> created;
        auto done = audit.transact([&]() -> core::Result<api::AuditEvent> {
            auto c = keys.create(request);
            if (!c)
                return c.error();
            created = *c;
            return cliEvent(QStringLiteral("key.create"), c->info.keyId,
                            QStringLiteral("ok: scopes %1, tier %2").arg(api::scopeNames(c->info.scopes).join(QLatin1Char(' ')), api::tierName(c->info.tier)));
        });
        if (!done)
            return fail(done.error(), done.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
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
        auto done = audit.transact([&]() -> core::Result<api::AuditEvent> {
            auto r = keys.revoke(keyId);
            if (!r)
                return r.error();
            return cliEvent(QStringLiteral("key.revoke"), keyId, QStringLiteral("ok"));
        });
        if (!done)
            return fail(done.error());
        printOut(QStringLiteral("revoked %1\n").arg(keyId));
        return ExitOk;
    }
    std::optional<api::CreatedKey> rotated;
    auto done = audit.transact([&]() -> core::Result<api::AuditEvent> {
        auto r = keys.rotate(keyId, overlapS * 1000);
        if (!r)
            return r.error();
        rotated = *r;
        return cliEvent(QStringLiteral("key.rotate"), keyId, QStringLiteral("ok: overlap %1 s").arg(overlapS));
    });
    if (!done)
        return fail(done.error());
    printErr(QStringLiteral("signiq-edge: new secret for %1; the old one stays valid for %2 s. Shown once:\n").arg(keyId).arg(overlapS));
    printOut(rotated->token + QLatin1Char('\n'));
    return ExitOk;
}

int runAuditCommand(const QStringList &args)
{
    const QString usage = QStringLiteral(
        "Usage: signiq-edge audit verify (--db FILE --key-file FILE | --file EXPORT)\n"
        "                                [--audit-key-file FILE | --audit-public-key HEX|FILE] [--checkpoint FILE]...\n"
        "         exit 0: intact (signature verified); 1: tampered or cut; 3: unsigned or not checked (chain only)\n"
        "       signiq-edge audit export --db FILE --key-file FILE [--audit-key-file FILE] [--format jsonl|csv] [--out FILE]\n"
        "       signiq-edge audit checkpoint --db FILE --key-file FILE --audit-key-file FILE [--out FILE]\n"
        "         a signed head to keep off the device; verify --checkpoint proves the log still holds it\n"
        "       signiq-edge audit adopt --db FILE --key-file FILE --audit-key-file FILE\n"
        "         sign a log from before the audit key (or signed with a lost key) from now on\n"
        "       signiq-edge audit public-key --audit-key-file FILE [--out FILE]\n"
        "         the Ed25519 public key that verifies the signatures (no secret: give it to auditors)\n");
    const QStringList subs{QStringLiteral("verify"), QStringLiteral("export"), QStringLiteral("checkpoint"), QStringLiteral("adopt"),
                           QStringLiteral("public-key")};
    if (args.isEmpty() || !subs.contains(args.first())) {
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
    addAuditKeyOption(parser);
    const QCommandLineOption file(QStringLiteral("file"), QStringLiteral("Verify an exported file on its own (no database needed)."), QStringLiteral("EXPORT"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("jsonl (default) or csv."), QStringLiteral("F"), QStringLiteral("jsonl"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Write the export here (mode 0600, never overwritten) instead of stdout."), QStringLiteral("FILE"));
    const QCommandLineOption publicKey(QStringLiteral("audit-public-key"),
                                       QStringLiteral("The audit public key (64 hex characters, or a file holding them) to check signatures with."),
                                       QStringLiteral("HEX|FILE"));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
                                        QStringLiteral("A checkpoint file (audit checkpoint --out) the log must still contain unchanged; repeatable."),
                                        QStringLiteral("FILE"));
    for (const auto &o : {file, format, out, publicKey, checkpoint})
        parser.addOption(o);
    if (auto code = parseCommandLine(parser, QStringLiteral("audit ") + sub, args.mid(1)))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), ExitUsage);
    const bool haveAuditKey = parser.isSet(QStringLiteral("audit-key-file"));
    if ((sub == QLatin1String("checkpoint") || sub == QLatin1String("adopt") || sub == QLatin1String("public-key")) && !haveAuditKey)
        return fail(QStringLiteral("audit %1 needs --audit-key-file").arg(sub), ExitUsage);
    if (parser.isSet(publicKey) && haveAuditKey)
        return fail(QStringLiteral("give either --audit-key-file or --audit-public-key"), ExitUsage);
    if (sub != QLatin1String("verify")) {
        for (const auto &o : {file, publicKey, checkpoint}) {
            if (parser.isSet(o))
                return fail(QStringLiteral("--%1 is only for audit verify").arg(o.names().first()), ExitUsage);
        }
    }

    const QString dbKeyFile = parser.value(QStringLiteral("key-file"));
    auto auditKey = loadAuditKey(parser, dbKeyFile);
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    const crypto::Ed25519SigningKey *signer = *auditKey ? &**auditKey : nullptr;

    const auto writeOrPrint = [&](const QByteArray &data, const QString &what) -> int {
        if (parser.isSet(out)) {
            if (auto written = crypto::securefile::writeFile(parser.value(out), data, 0600, crypto::securefile::Replace::Never); !written)
                return fail(written.error());
            printErr(QStringLiteral("signiq-edge: %1 written to %2\n").arg(what, parser.value(out)));
            return ExitOk;
        }
        printOut(QString::fromUtf8(data));
        return ExitOk;
    };

    if (sub == QLatin1String("public-key"))
        return writeOrPrint(signer->publicKey().toHex() + '\n', QStringLiteral("audit public key (id %1)").arg(api::AuditHead::keyIdOf(signer->publicKey())));

    api::AuditVerifyOptions verifyOptions;
    if (sub == QLatin1String("verify")) {
        if (signer)
            verifyOptions.publicKey = signer->publicKey();
        if (parser.isSet(publicKey)) {
            auto key = protocol::readAuditPublicKey(parser.value(publicKey));
            if (!key)
                return fail(key.error(), ExitUsage);
            verifyOptions.publicKey = *key;
        }
        for (const QString &path : parser.values(checkpoint)) {
            auto cp = protocol::readAuditCheckpointFile(path);
            if (!cp)
                return fail(cp.error(), ExitUsage);
            verifyOptions.checkpoints.append(*cp);
        }
        if (parser.isSet(file))
            return verifyExit(parser.value(file), api::verifyAuditExportFile(parser.value(file), verifyOptions));
    }
    if (sub == QLatin1String("export") && parser.value(format) != QLatin1String("jsonl") && parser.value(format) != QLatin1String("csv"))
        return fail(QStringLiteral("--format must be jsonl or csv"), ExitUsage);
    auto options = EdgeSessionOptions::fromParser(parser);
    if (!options)
        return fail(options.error(), ExitUsage);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    if (sub == QLatin1String("verify"))
        return verifyExit(options->dbPath, api::verifyAuditLog(session->database(), verifyOptions));

    const core::SystemClock clock;
    api::AuditLog audit(session->database(), clock, signer);
    if (sub == QLatin1String("adopt")) {
        auto adopted = audit.adopt(cliEvent(QStringLiteral("audit.adopt"), options->dbPath, QStringLiteral("ok")));
        if (!adopted)
            return fail(adopted.error());
        printOut(QStringLiteral("entry %1: %2\n").arg(adopted->seq).arg(adopted->result));
        return ExitOk;
    }
    if (sub == QLatin1String("checkpoint")) {
        auto head = audit.checkpoint(cliEvent(QStringLiteral("audit.checkpoint"), parser.value(out), QStringLiteral("ok")));
        if (!head)
            return fail(head.error());
        printErr(QStringLiteral("signiq-edge: checkpoint at entry %1 (%2 entries), hash %3, signed by audit key %4\n")
                     .arg(head->seq).arg(head->count).arg(head->hash, head->keyId));
        return writeOrPrint(head->toCheckpointFile(), QStringLiteral("checkpoint"));
    }
    // The export is audited first, so that it contains its own record.
    if (auto recorded = audit.record(cliEvent(QStringLiteral("audit.export"), parser.value(format), QStringLiteral("ok"))); !recorded)
        return fail(QStringLiteral("the export cannot be audited, so it is not written: ") + recorded.error().message);
    auto snapshot = audit.snapshot();
    if (!snapshot)
        return fail(snapshot.error());
    const QByteArray data = parser.value(format) == QLatin1String("csv") ? protocol::AuditChain::toCsv(snapshot->entries, &snapshot->head)
                                                                         : protocol::AuditChain::toJsonLines(snapshot->entries, &snapshot->head);
    return writeOrPrint(data, QStringLiteral("%1 audit entries").arg(snapshot->entries.size()));
}

} // namespace signiq::edge
