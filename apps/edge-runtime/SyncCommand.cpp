#include "SyncCommand.h"

#include "CommandOutput.h"
#include "AuditKey.h"
#include "EdgeSession.h"

#include "api/AuditLog.h"

#include "core/Clock.h"
#include "enroll/DeviceIdentityStore.h"
#include "protocol/Time.h"
#include "storage/SyncOutbox.h"
#include "sync/HubClient.h"
#include "sync/SyncWorker.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace signiq::edge {

namespace {

QString optionalTime(const std::optional<qint64> &ms)
{
    return ms ? protocol::isoTime(*ms) : QStringLiteral("-");
}

} // namespace

std::optional<sync::HubEndpoint> loadHubEndpoint(const QUrl &url, const QString &identityDir, const QString &caOption,
                                                 const QString &caFile, int *exitCode)
{
    const enroll::DeviceIdentityStore store(identityDir);
    auto identity = store.identity();
    if (!identity) {
        *exitCode = fail(identity.error());
        return std::nullopt;
    }
    QList<QSslCertificate> hubCas;
    if (!caFile.isEmpty()) {
        QFile file(caFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *exitCode = fail(QStringLiteral("cannot read --%1 %2: %3").arg(caOption, file.fileName(), file.errorString()));
            return std::nullopt;
        }
        hubCas = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (hubCas.isEmpty()) {
            *exitCode = fail(QStringLiteral("--%1 %2 holds no PEM certificate").arg(caOption, file.fileName()), ExitUsage);
            return std::nullopt;
        }
    } else {
        auto ca = store.caCertificate();
        if (!ca) {
            *exitCode = fail(ca.error());
            return std::nullopt;
        }
        hubCas = {*ca};
    }
    return sync::HubEndpoint{url, hubCas, *identity};
}

namespace {

// sync --set-aside / --requeue BATCH / --requeue-all: the operator's view of the batches the hub
// refused, and putting them back in flight (audited, one transaction with the change).
int runSetAsideCommand(const QCommandLineParser &parser, const QStringList &requeueIds, bool requeueAll, bool asJson)
{
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
    storage::SyncOutbox outbox(session->database(), clock);

    QJsonArray requeued;
    if (requeueAll || !requeueIds.isEmpty()) {
        api::AuditLog audit(session->database(), clock, *auditKey ? &**auditKey : nullptr);
        const auto record = [&](const QString &batchId, qint64 windows) {
            requeued.append(QJsonObject{{QStringLiteral("batch_id"), batchId}, {QStringLiteral("windows"), windows}});
            return api::AuditEvent{QStringLiteral("cli"), QString(), QStringLiteral("sync.requeue"), batchId,
                                   QStringLiteral("ok: %1 windows back in flight").arg(windows)};
        };
        if (requeueAll) {
            auto before = outbox.setAsideBatches();
            if (!before)
                return fail(before.error());
            for (const storage::SetAsideBatch &batch : *before) {
                auto done = audit.transact([&]() -> core::Result<api::AuditEvent> {
                    auto n = outbox.requeue(batch.batchId);
                    if (!n)
                        return n.error();
                    return record(batch.batchId, *n);
                });
                if (!done)
                    return fail(done.error());
            }
        }
        for (const QString &batchId : requeueIds) {
            auto done = audit.transact([&]() -> core::Result<api::AuditEvent> {
                auto n = outbox.requeue(batchId);
                if (!n)
                    return n.error();
                return record(batchId, *n);
            });
            if (!done)
                return fail(done.error());
        }
    }
    auto batches = outbox.setAsideBatches();
    if (!batches)
        return fail(batches.error());
    auto status = outbox.status();
    if (!status)
        return fail(status.error());
    if (asJson) {
        QJsonArray aside;
        for (const storage::SetAsideBatch &b : *batches)
            aside.append(QJsonObject{{QStringLiteral("batch_id"), b.batchId},
                                     {QStringLiteral("windows"), b.windows},
                                     {QStringLiteral("set_aside_at"), protocol::isoTime(b.setAsideAtMs)},
                                     {QStringLiteral("reason"), b.reason}});
        printOut(QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("requeued"), requeued},
                                                             {QStringLiteral("set_aside"), aside},
                                                             {QStringLiteral("outbox_depth"), status->depth},
                                                             {QStringLiteral("outbox_poisoned_windows"), status->poisonedWindows}})
                                       .toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    for (const QJsonValue &r : requeued)
        printOut(QStringLiteral("Requeued    %1 (%2 windows)\n")
                     .arg(r[QStringLiteral("batch_id")].toString())
                     .arg(r[QStringLiteral("windows")].toInteger()));
    for (const storage::SetAsideBatch &b : *batches)
        printOut(QStringLiteral("Set aside   %1 (%2 windows) at %3: %4\n")
                     .arg(b.batchId)
                     .arg(b.windows)
                     .arg(protocol::isoTime(b.setAsideAtMs), b.reason));
    printOut(QStringLiteral("Outbox      %1 waiting, %2 set aside in %3 batches\n")
                 .arg(status->depth)
                 .arg(status->poisonedWindows)
                 .arg(status->poisonedBatches));
    return ExitOk;
}

} // namespace

int runSyncCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Push the sync outbox to the hub once (docs/sync.md): batches oldest first over mutual TLS 1.3 with the\n"
        "device certificate from enrollment; rows are marked sent only after the hub's acknowledgement.\n"
        "A failed send is retried by the next run after its backoff; a batch the hub refuses is set aside.\n"
        "--set-aside lists the batches set aside; --requeue BATCH / --requeue-all puts them back in flight\n"
        "(audited in the edge's audit log)."));
    EdgeSessionOptions::addOptions(parser);
    addAuditKeyOption(parser);
    const QCommandLineOption once(QStringLiteral("once"), QStringLiteral("Send what is due now and exit."));
    const QCommandLineOption hub(QStringLiteral("hub"), QStringLiteral("The hub's sync listener, https://HOST:PORT."), QStringLiteral("URL"));
    const QCommandLineOption identityDir(QStringLiteral("identity-dir"),
                                         QStringLiteral("The device identity from `signiq-edge enroll` (DIR/device.pem, DIR/ca.crt)."),
                                         QStringLiteral("DIR"));
    const QCommandLineOption hubCa(QStringLiteral("hub-ca"),
                                   QStringLiteral("CA certificate(s) (PEM) of the hub's server certificate (default: DIR/ca.crt)."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption batches(QStringLiteral("batches"), QStringLiteral("Send at most N batches (default: all that are due)."),
                                     QStringLiteral("N"));
    const QCommandLineOption batchSize(QStringLiteral("batch-size"),
                                       QStringLiteral("Windows per new batch, 1..1000 (default %1; a batch in flight keeps its windows).")
                                           .arg(storage::SyncOutbox::DefaultBatchSize),
                                       QStringLiteral("N"));
    const QCommandLineOption now(QStringLiteral("now"),
                                 QStringLiteral("With --once: send the batch in flight even if its retry backoff has not passed."));
    const QCommandLineOption setAside(QStringLiteral("set-aside"), QStringLiteral("List the batches the hub refused (set aside)."));
    const QCommandLineOption requeue(QStringLiteral("requeue"),
                                     QStringLiteral("Put the batch set aside with this id back in flight (repeatable; audited)."),
                                     QStringLiteral("BATCH"));
    const QCommandLineOption requeueAll(QStringLiteral("requeue-all"), QStringLiteral("Put every batch set aside back in flight (audited)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the outcome and the outbox status as JSON."));
    for (const auto &o : {once, hub, identityDir, hubCa, batches, batchSize, now, setAside, requeue, requeueAll, json})
        parser.addOption(o);
    if (auto code = parseCommandLine(parser, QStringLiteral("sync"), args))
        return *code;
    const int modes = int(parser.isSet(once)) + int(parser.isSet(setAside)) + int(parser.isSet(requeue)) + int(parser.isSet(requeueAll));
    if (modes != 1)
        return fail(QStringLiteral("sync needs --once, or else one of --set-aside, --requeue BATCH, --requeue-all "
                                   "(for a continuous worker: `signiq-edge run --sync-hub`; docs/sync.md)"),
                    ExitUsage);
    if (!parser.isSet(once)) {
        for (const auto &o : {hub, identityDir, hubCa, batches, batchSize, now}) {
            if (parser.isSet(o))
                return fail(QStringLiteral("--%1 needs --once").arg(o.names().first()), ExitUsage);
        }
        return runSetAsideCommand(parser, parser.values(requeue), parser.isSet(requeueAll), parser.isSet(json));
    }
    const QUrl url(parser.value(hub));
    if (!parser.isSet(hub) || !url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty() || url.port() <= 0)
        return fail(QStringLiteral("--hub must be https://HOST:PORT (the hub's sync listener), not '%1'").arg(parser.value(hub)), ExitUsage);
    if (!parser.isSet(identityDir))
        return fail(QStringLiteral("--identity-dir is required: the device authenticates with its enrolled certificate"), ExitUsage);
    int maxBatches = std::numeric_limits<int>::max();
    if (parser.isSet(batches)) {
        bool ok = false;
        maxBatches = parser.value(batches).toInt(&ok);
        if (!ok || maxBatches < 1)
            return fail(QStringLiteral("--batches must be a whole number, at least 1, not '%1'").arg(parser.value(batches)), ExitUsage);
    }
    int windowsPerBatch = storage::SyncOutbox::DefaultBatchSize;
    if (parser.isSet(batchSize)) {
        bool ok = false;
        windowsPerBatch = parser.value(batchSize).toInt(&ok);
        if (!ok || windowsPerBatch < 1 || windowsPerBatch > protocol::SyncBatch::MaxWindows)
            return fail(QStringLiteral("--batch-size must be a whole number from 1 to %1, not '%2'")
                            .arg(protocol::SyncBatch::MaxWindows)
                            .arg(parser.value(batchSize)),
                        ExitUsage);
    }

    int exitCode = ExitFailure;
    const auto endpoint = loadHubEndpoint(url, parser.value(identityDir), QStringLiteral("hub-ca"), parser.value(hubCa), &exitCode);
    if (!endpoint)
        return exitCode;

    auto options = EdgeSessionOptions::fromParser(parser);
    if (!options)
        return fail(options.error(), ExitUsage);
    auto session = EdgeSession::open(*options);
    if (!session)
        return fail(session.error());
    const core::SystemClock clock;
    storage::SyncOutbox outbox(session->database(), clock);
    sync::HttpsHubClient client(*endpoint);
    sync::SyncWorker worker(outbox, client, clock, sync::RetryPolicy(), windowsPerBatch);
    auto summary = worker.runOnce(maxBatches, parser.isSet(now) ? sync::SyncWorker::Due::Now : sync::SyncWorker::Due::AfterBackoff);
    if (!summary)
        return fail(summary.error());
    auto status = outbox.status();
    if (!status)
        return fail(status.error());

    if (parser.isSet(json)) {
        QJsonObject o{{QStringLiteral("acknowledged_batches"), summary->batchesAcknowledged},
                      {QStringLiteral("duplicates"), summary->duplicates},
                      {QStringLiteral("acknowledged_windows"), summary->windowsAcknowledged},
                      {QStringLiteral("set_aside_batches"), summary->batchesSetAside},
                      {QStringLiteral("failures"), summary->failures},
                      {QStringLiteral("last_error"), summary->lastError},
                      {QStringLiteral("next_attempt"), summary->nextAttemptMs ? protocol::isoTime(*summary->nextAttemptMs) : QString()},
                      {QStringLiteral("outbox_depth"), status->depth},
                      {QStringLiteral("outbox_poisoned_windows"), status->poisonedWindows},
                      {QStringLiteral("outbox_dropped_windows"), status->droppedWindows}};
        printOut(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)));
    } else {
        printOut(QStringLiteral("Sent        %1 batches (%2 windows; %3 already at the hub)\n"
                                "Set aside   %4 batches (refused by the hub)\n"
                                "Outbox      %5 waiting (oldest %6), %7 set aside, %8 dropped when full\n"
                                "Last sync   %9\n")
                     .arg(summary->batchesAcknowledged).arg(summary->windowsAcknowledged).arg(summary->duplicates)
                     .arg(summary->batchesSetAside)
                     .arg(status->depth).arg(optionalTime(status->oldestUnsentStartMs)).arg(status->poisonedWindows)
                     .arg(status->droppedWindows).arg(optionalTime(status->lastSuccessMs)));
        if (!summary->lastError.isEmpty())
            printOut(QStringLiteral("Last error  %1\n").arg(summary->lastError));
        if (summary->nextAttemptMs)
            printOut(QStringLiteral("Next try    %1\n").arg(protocol::isoTime(*summary->nextAttemptMs)));
    }
    // A failed send is not a failure of the command's own work, but it must be visible to a script.
    return summary->failures > 0 ? ExitFailure : ExitOk;
}

} // namespace signiq::edge
