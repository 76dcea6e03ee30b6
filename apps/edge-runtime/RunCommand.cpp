#include "RunCommand.h"

#include "AuditKey.h"
#include "CommandOutput.h"
#include "EdgeHealth.h"
#include "EdgeSession.h"
#include "SignalStop.h"
#include "SyncCommand.h"
#include "PipelineOverlayFeed.h"

#include "core/Credentials.h"
#include "core/ServiceNotifier.h"
#include "enroll/CertificateRenewer.h"
#include "enroll/DeviceIdentityStore.h"
#include "crypto/TlsServer.h"

#include "api/EdgeApiServer.h"
#include "crypto/TlsConfiguration.h"
#include "pipeline/EdgePipeline.h"
#include "storage/SyncOutbox.h"
#include "sync/HubClient.h"
#include "sync/SyncLoop.h"
#include "sync/SyncWorker.h"
#include "core/Clock.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QEventLoop>
#include <QHostAddress>
#include <QThread>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QUrl>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimer>

namespace signiq::edge {

namespace {

QString summaryTable(const pipeline::PipelineReport &report)
{
    // Sum the windows per zone: the whole run at a glance.
    struct ZoneTotals {
        int ots = 0, entries = 0, exits = 0, lineIn = 0, lineOut = 0, peak = 0, viewers = 0, attentionEvents = 0;
        double attentionS = 0.0;
        double occupancyTimesMinutes = 0.0, minutes = 0.0;
        std::array<int, core::DwellBandCount> dwell{};
        QMap<QString, int> transitions;
    };
    QMap<QString, ZoneTotals> zones;
    for (const auto &w : report.windows) {
        ZoneTotals &z = zones[w.zone];
        z.ots += w.ots;
        z.entries += w.entries;
        z.exits += w.exits;
        z.lineIn += w.lineIn;
        z.lineOut += w.lineOut;
        z.peak = std::max(z.peak, w.peakOccupancy);
        z.viewers += w.viewers;
        z.attentionEvents += w.attentionEvents;
        z.attentionS += w.attentionTimeS;
        const double minutes = double(w.endMs - w.startMs) / 60000.0;
        z.occupancyTimesMinutes += w.meanOccupancy * minutes;
        z.minutes += minutes;
        for (int i = 0; i < core::DwellBandCount; ++i)
            z.dwell[size_t(i)] += w.dwellBands[size_t(i)];
        for (auto it = w.transitionsTo.cbegin(); it != w.transitionsTo.cend(); ++it)
            z.transitions[it.key()] += it.value();
    }

    QString out;
    out += QStringLiteral("\nSource      %1\n").arg(report.source);
    out += QStringLiteral("Model       %1\n").arg(report.modelVersion);
    out += QStringLiteral("Zones       %1 (config %2)\n").arg(zones.size()).arg(report.calibrationVersion);
    out += QStringLiteral("Windows     %1 stored (encrypted)\n\n").arg(report.windows.size());
    out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  dwell bands 0-5/5-15/15-30/30-60/60+ s\n")
               .arg(QStringLiteral("zone"), -16)
               .arg(QStringLiteral("OTS"), 5)
               .arg(QStringLiteral("in"), 5)
               .arg(QStringLiteral("out"), 5)
               .arg(QStringLiteral("line+"), 6)
               .arg(QStringLiteral("line-"), 6)
               .arg(QStringLiteral("occ"), 6)
               .arg(QStringLiteral("peak"), 5);
    for (auto it = zones.cbegin(); it != zones.cend(); ++it) {
        const ZoneTotals &z = it.value();
        QStringList bands;
        for (int d : z.dwell)
            bands << QString::number(d);
        out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9\n")
                   .arg(it.key().left(16), -16)
                   .arg(z.ots, 5)
                   .arg(z.entries, 5)
                   .arg(z.exits, 5)
                   .arg(z.lineIn, 6)
                   .arg(z.lineOut, 6)
                   .arg(z.minutes > 0 ? z.occupancyTimesMinutes / z.minutes : 0.0, 6, 'f', 2)
                   .arg(z.peak, 5)
                   .arg(bands.join(QLatin1Char('/')));
        out += QStringLiteral("  attention: %1 viewers, %2 events, %3 s\n").arg(z.viewers).arg(z.attentionEvents).arg(z.attentionS, 0, 'f', 1);
        for (auto t = z.transitions.cbegin(); t != z.transitions.cend(); ++t)
            out += QStringLiteral("  -> %1: %2 transitions\n").arg(t.key()).arg(t.value());
    }
    if (!report.demographicWindows.isEmpty())
        out += QStringLiteral("Demographics %1 windows (cells under k suppressed)\n").arg(report.demographicWindows.size());
    out += QStringLiteral("\nFrames      %1 processed (%2 with detection, %3 with faces, %4 dropped) in %5 s of video\n")
               .arg(report.framesProcessed)
               .arg(report.framesDetected)
               .arg(report.framesWithFaces)
               .arg(report.framesDropped)
               .arg(report.videoSeconds, 0, 'f', 1);
    out += QStringLiteral("Pipeline    %1 fps (%2 s wall)\n").arg(report.pipelineFps, 0, 'f', 1).arg(report.wallSeconds, 0, 'f', 1);
    out += QStringLiteral("Stages      decode %1 ms, detect %2 ms, track %3 ms, faces %4 ms, analytics %5 ms, store %6 ms (mean)\n")
               .arg(report.decode.meanMs(), 0, 'f', 2)
               .arg(report.detect.meanMs(), 0, 'f', 2)
               .arg(report.track.meanMs(), 0, 'f', 3)
               .arg(report.faces.meanMs(), 0, 'f', 2)
               .arg(report.analytics.meanMs(), 0, 'f', 3)
               .arg(report.store.meanMs(), 0, 'f', 2);
    out += QStringLiteral("Frame life  capture->release p50 %1 ms, p99 %2 ms (buffers zeroed on release)\n")
               .arg(report.captureToReleaseP50Ms, 0, 'f', 1)
               .arg(report.captureToReleaseP99Ms, 0, 'f', 1);
    if (report.stoppedBySignal)
        out += QStringLiteral("Stopped     by signal; open windows were closed and stored\n");
    return out;
}

} // namespace

int runRunCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run the audience pipeline: capture -> person detection -> tracking -> zones -> 1-minute audience\n"
        "windows, stored in an encrypted (SQLCipher) database. Frames never leave memory.\n"
        "Runs until the source ends or SIGINT/SIGTERM; open windows are closed and stored on exit."));
    EdgeSessionOptions::addOptions(parser);
    const QCommandLineOption source(QStringLiteral("source"),
                                    QStringLiteral("Video file, image directory, rtsp:// or http(s):// URL, or camera:<index|id>."),
                                    QStringLiteral("SOURCE"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Import and validate a zones.json into the database before running "
                                                   "(later runs use the stored configuration)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption once(QStringLiteral("once"),
                                  QStringLiteral("Process a file source to its end with a progress bar and print a summary table."));
    const QCommandLineOption realtime(QStringLiteral("realtime"),
                                      QStringLiteral("Pace a file source at its nominal frame rate (default: as fast as possible)."));
    const QCommandLineOption report(QStringLiteral("report"),
                                    QStringLiteral("Write a JSON report (windows, occupancy per second, stage timings)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Person detector model, overriding the configuration's detector.model "
                                                  "(yolo-fastest-1.1-body or yolox-nano)."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption detectEvery(QStringLiteral("detect-every"),
                                         QStringLiteral("Run the detector on every k-th frame (1 = every frame, auto = adaptive)."),
                                         QStringLiteral("k|auto"), QStringLiteral("1"));
    const QCommandLineOption startTime(QStringLiteral("start-time"),
                                       QStringLiteral("Wall-clock time of a file's first frame, ISO 8601 (default: now)."),
                                       QStringLiteral("ISO"));
    const QCommandLineOption noFaces(QStringLiteral("no-faces"),
                                     QStringLiteral("Skip face analysis: people counting only, no attention or demographics."));
    const QCommandLineOption threshold(QStringLiteral("score-threshold"),
                                       QStringLiteral("Detection score threshold for counting people, overriding the "
                                                      "configuration's detector.score_threshold (0.1..1)."),
                                       QStringLiteral("X"));
    const QCommandLineOption apiPort(QStringLiteral("api-port"),
                                     QStringLiteral("Serve the local HTTPS API (TLS 1.3 only; docs/api.md) on this port while running."),
                                     QStringLiteral("PORT"));
    const QCommandLineOption apiListen(QStringLiteral("api-listen"),
                                       QStringLiteral("Address the API listens on (default 127.0.0.1; 0.0.0.0 for the LAN)."),
                                       QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("Server certificate (PEM, + chain) for the API, e.g. the enrolled device.pem."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("Private key (PEM, mode 0600) for the API (default: the --tls-cert file)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption identityDir(QStringLiteral("identity-dir"),
                                         QStringLiteral("The device identity from `signiq-edge enroll` (DIR/device.pem, DIR/ca.crt) "
                                                        "as the API's certificate, instead of --tls-cert."),
                                         QStringLiteral("DIR"));
    const QCommandLineOption renewFrom(QStringLiteral("renew-from"),
                                       QStringLiteral("Renew the device certificate at this enrollment server when 2/3 of its lifetime "
                                                      "has passed; the API keeps serving and swaps to the new certificate."),
                                       QStringLiteral("HOST:PORT"));
    const QCommandLineOption renewCheck(QStringLiteral("renew-check-s"),
                                        QStringLiteral("How often to check whether renewal is due (default 60)."),
                                        QStringLiteral("SECONDS"), QStringLiteral("60"));
    const QCommandLineOption outboxCapacity(QStringLiteral("outbox-capacity"),
                                            QStringLiteral("Windows the sync outbox holds at most; when full the oldest unsent are "
                                                           "dropped from it and flagged sync_dropped (docs/sync.md)."),
                                            QStringLiteral("N"), QString::number(storage::SyncOutbox::DefaultCapacity));
    const QCommandLineOption syncHub(QStringLiteral("sync-hub"),
                                     QStringLiteral("Send the stored windows to the hub's sync listener while running (mutual TLS with "
                                                    "the --identity-dir certificate; docs/sync.md)."),
                                     QStringLiteral("https://HOST:PORT"));
    const QCommandLineOption syncHubCa(QStringLiteral("sync-hub-ca"),
                                       QStringLiteral("CA certificate(s) (PEM) of the hub's server certificate (default: DIR/ca.crt)."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption syncInterval(QStringLiteral("sync-interval-s"),
                                          QStringLiteral("Seconds between sync runs when nothing waits for a retry (default 60)."),
                                          QStringLiteral("SECONDS"), QStringLiteral("60"));
    const QCommandLineOption syncBatchSize(QStringLiteral("sync-batch-size"),
                                           QStringLiteral("Windows per sync batch, 1..1000 (default %1).").arg(storage::SyncOutbox::DefaultBatchSize),
                                           QStringLiteral("N"), QString::number(storage::SyncOutbox::DefaultBatchSize));
    for (const auto &o : {source, config, once, realtime, report, model, detectEvery, startTime, threshold, noFaces, apiPort, apiListen,
                          tlsCert, tlsKey, identityDir, renewFrom, renewCheck, outboxCapacity, syncHub, syncHubCa, syncInterval,
                          syncBatchSize})
        parser.addOption(o);
    addAuditKeyOption(parser);
    if (auto code = parseCommandLine(parser, QStringLiteral("run"), args))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), ExitUsage);

    // --- validate everything before touching anything -----------------------------------------
    if (!parser.isSet(source))
        return fail(QStringLiteral("--source is required (a video file, image directory, stream URL or camera:<n>)"), ExitUsage);
    RunSettings settings;
    settings.source = parser.value(source);
    settings.configFile = parser.value(config);
    settings.once = parser.isSet(once);
    settings.realtime = parser.isSet(realtime);
    settings.reportFile = parser.value(report);
    settings.model = parser.value(model);
    settings.faces = !parser.isSet(noFaces);
    if (parser.value(detectEvery) == QLatin1String("auto")) {
        settings.detectEvery = 0;
    } else {
        bool ok = false;
        settings.detectEvery = parser.value(detectEvery).toInt(&ok);
        if (!ok || settings.detectEvery < 1 || settings.detectEvery > 10)
            return fail(QStringLiteral("--detect-every must be a whole number from 1 to 10 or 'auto', not '%1'")
                            .arg(parser.value(detectEvery)),
                        ExitUsage);
    }
    {
        bool ok = false;
        settings.outboxCapacity = parser.value(outboxCapacity).toLongLong(&ok);
        if (!ok || settings.outboxCapacity < 1)
            return fail(QStringLiteral("--outbox-capacity must be a whole number of windows, at least 1, not '%1'")
                            .arg(parser.value(outboxCapacity)),
                        ExitUsage);
    }
    if (parser.isSet(threshold)) {
        bool thresholdOk = false;
        settings.scoreThreshold = parser.value(threshold).toFloat(&thresholdOk);
        if (!thresholdOk || settings.scoreThreshold < 0.1f || settings.scoreThreshold >= 1.f)
            return fail(QStringLiteral("--score-threshold must be a number from 0.1 to below 1, not '%1'").arg(parser.value(threshold)),
                        ExitUsage);
    }
    if (parser.isSet(startTime)) {
        const QDateTime t = QDateTime::fromString(parser.value(startTime), Qt::ISODate);
        if (!t.isValid())
            return fail(QStringLiteral("--start-time '%1' is not an ISO 8601 date-time (e.g. 2026-11-29T09:00:00Z)")
                            .arg(parser.value(startTime)),
                        ExitUsage);
        settings.startTimeMs = t.toMSecsSinceEpoch();
    } else {
        settings.startTimeMs = QDateTime::currentMSecsSinceEpoch();
    }

    // The API: never plaintext, so a port needs a certificate.
    quint16 port = 0;
    QHostAddress listenAddress;
    if (parser.isSet(apiPort)) {
        bool ok = false;
        const uint p = parser.value(apiPort).toUInt(&ok);
        if (!ok || p > 65535)
            return fail(QStringLiteral("--api-port must be a port number 0..65535, not '%1'").arg(parser.value(apiPort)), ExitUsage);
        port = quint16(p);
        // Under systemd the certificate may be the credential tls.crt (and tls.key).
        const bool hasCert = parser.isSet(tlsCert) || (!parser.isSet(identityDir) && !core::credentialFile(QStringLiteral("tls.crt")).isEmpty());
        if (hasCert == parser.isSet(identityDir))
            return fail(QStringLiteral("--api-port needs either --tls-cert (and --tls-key unless the certificate file holds the key) "
                                       "or --identity-dir: the API is served over TLS 1.3 only"),
                        ExitUsage);
        if (parser.isSet(renewFrom) && !parser.isSet(identityDir))
            return fail(QStringLiteral("--renew-from needs --identity-dir (the enrolled identity it renews)"), ExitUsage);
        if (!listenAddress.setAddress(parser.value(apiListen)))
            return fail(QStringLiteral("--api-listen '%1' is not an IP address").arg(parser.value(apiListen)), ExitUsage);
    } else {
        for (const auto &o : {tlsCert, tlsKey, identityDir, renewFrom}) {
            if (o.names().first() == QLatin1String("identity-dir") && parser.isSet(syncHub))
                continue; // the sync worker's certificate
            if (parser.isSet(o))
                return fail(QStringLiteral("--%1 needs --api-port").arg(o.names().first()), ExitUsage);
        }
    }

    // Sync: the device certificate from enrollment, the hub's CA, the interval.
    std::optional<sync::HubEndpoint> syncEndpoint;
    qint64 syncIntervalMs = 60'000;
    int syncBatchWindows = storage::SyncOutbox::DefaultBatchSize;
    if (parser.isSet(syncHub)) {
        const QUrl url(parser.value(syncHub));
        if (!url.isValid() || url.scheme() != QLatin1String("https") || url.host().isEmpty() || url.port() <= 0)
            return fail(QStringLiteral("--sync-hub must be https://HOST:PORT (the hub's sync listener), not '%1'").arg(parser.value(syncHub)),
                        ExitUsage);
        if (!parser.isSet(identityDir))
            return fail(QStringLiteral("--sync-hub needs --identity-dir: the device authenticates with its enrolled certificate"), ExitUsage);
        bool ok = false;
        syncIntervalMs = parser.value(syncInterval).toLongLong(&ok) * 1000;
        if (!ok || syncIntervalMs < 1000)
            return fail(QStringLiteral("--sync-interval-s must be a whole number of seconds, at least 1, not '%1'")
                            .arg(parser.value(syncInterval)),
                        ExitUsage);
        syncBatchWindows = parser.value(syncBatchSize).toInt(&ok);
        if (!ok || syncBatchWindows < 1 || syncBatchWindows > protocol::SyncBatch::MaxWindows)
            return fail(QStringLiteral("--sync-batch-size must be a whole number from 1 to %1, not '%2'")
                            .arg(protocol::SyncBatch::MaxWindows)
                            .arg(parser.value(syncBatchSize)),
                        ExitUsage);
        int exitCode = ExitFailure;
        syncEndpoint = loadHubEndpoint(url, parser.value(identityDir), QStringLiteral("sync-hub-ca"), parser.value(syncHubCa), &exitCode);
        if (!syncEndpoint)
            return exitCode;
    } else {
        for (const auto &o : {syncHubCa, syncBatchSize}) {
            if (parser.isSet(o))
                return fail(QStringLiteral("--%1 needs --sync-hub").arg(o.names().first()), ExitUsage);
        }
    }

    auto sessionOptions = EdgeSessionOptions::fromParser(parser);
    if (!sessionOptions)
        return fail(sessionOptions.error(), ExitUsage);
    auto auditKey = loadAuditKey(parser, sessionOptions->keyFile);
    if (!auditKey)
        return fail(auditKey.error(), auditKey.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);
    if (parser.isSet(QStringLiteral("audit-key-file")) && !parser.isSet(apiPort))
        return fail(QStringLiteral("--audit-key-file needs --api-port (only the API writes audit entries while running)"), ExitUsage);

    auto session = EdgeSession::open(*sessionOptions);
    if (!session)
        return fail(session.error(), session.error().code == core::ErrorCode::InvalidArgument ? ExitUsage : ExitFailure);

    auto prepared = session->preparePipeline(settings);
    if (!prepared)
        return fail(prepared.error(),
                    prepared.error().code == core::ErrorCode::InvalidArgument || prepared.error().code == core::ErrorCode::Parse
                        ? ExitUsage
                        : ExitFailure);
    std::unique_ptr<pipeline::EdgePipeline> pipeline = std::move(prepared).value();

    const core::SystemClock clock;
    EdgeHealth health;
    const qint64 startedAtMs = clock.nowMs();
    health.update([&](protocol::HealthRecord &h) {
        h.status = QStringLiteral("starting");
        h.modelVersion = session->preparedModelVersion();
        h.calibrationVersion = session->preparedCalibrationVersion();
    });

    // The API lives on this thread (it needs the event loop) with this thread's connection.
    std::unique_ptr<PipelineOverlayFeed> overlay;
    std::unique_ptr<enroll::DeviceIdentityStore> identityStore;
    std::unique_ptr<enroll::CertificateRenewer> renewer;
    std::unique_ptr<api::EdgeApiServer> server;
    if (parser.isSet(apiPort)) {
        core::Result<crypto::TlsIdentity> identity = crypto::TlsIdentity();
        if (parser.isSet(identityDir)) {
            identityStore = std::make_unique<enroll::DeviceIdentityStore>(parser.value(identityDir));
            identity = identityStore->identity();
        } else {
            const QString certPath = parser.isSet(tlsCert) ? parser.value(tlsCert) : core::credentialFile(QStringLiteral("tls.crt"));
            QString keyPath = parser.isSet(tlsKey) ? parser.value(tlsKey) : QString();
            if (keyPath.isEmpty() && !parser.isSet(tlsCert))
                keyPath = core::credentialFile(QStringLiteral("tls.key"));
            if (keyPath.isEmpty())
                keyPath = certPath;
            identity = crypto::TlsIdentity::load(certPath, keyPath);
        }
        if (!identity)
            return fail(identity.error());
        overlay = std::make_unique<PipelineOverlayFeed>(*pipeline);
        api::ApiServerContext context;
        context.database = &session->database();
        context.clock = &clock;
        context.auditKey = *auditKey ? &**auditKey : nullptr;
        if (!context.auditKey)
            printErr(QStringLiteral("signiq-edge: warning: no --audit-key-file: audit entries are not signed, so whoever holds the "
                                    "database key could rewrite the log unnoticed (docs/security.md, \"Audit log\")\n"));
        context.health = [&health, &pipeline, &clock, startedAtMs, &session, capacity = settings.outboxCapacity] {
            protocol::HealthRecord h = health.snapshot();
            // The sync outbox, read on this (the API's) connection.
            const storage::SyncOutbox outbox(session->database(), clock, capacity);
            if (auto s = outbox.status())
                h.sync = protocol::SyncHealth{s->depth,          s->oldestUnsentStartMs, s->poisonedWindows, s->droppedWindows,
                                              s->lastSuccessMs, s->lastError,           s->lastErrorMs};
            h.uptimeS = double(std::max<qint64>(0, clock.nowMs() - startedAtMs)) / 1000.0;
            const pipeline::PipelineLiveStats live = pipeline->liveStats();
            if (live.framesProcessed > 0) {
                h.pipelineFps = live.running ? live.fps : 0.0;
                h.framesProcessed = live.framesProcessed;
                h.captureToReleaseP50Ms = live.captureToReleaseP50Ms;
                h.captureToReleaseP99Ms = live.captureToReleaseP99Ms;
                h.calibrationVersion = live.calibrationVersion;
            }
            return h;
        };
        // An accepted PUT /v1/zones or /v1/calibration reaches the running pipeline, which
        // switches at the next window boundary.
        // The same rules as at start-up (pipeline::PipelineConfigurator), checked before storing.
        context.checkConfig = &pipeline::PipelineConfigurator::check;
        context.configChanged = [&pipeline](const core::ZoneConfig &zones) {
            if (auto requested = pipeline->requestZoneConfig(zones); !requested)
                printErr(QStringLiteral("signiq-edge: warning: zone configuration %1 not applied: %2\n")
                             .arg(zones.version(), requested.error().message));
        };
        context.overlay = overlay.get();
        server = std::make_unique<api::EdgeApiServer>(context);
        auto listening = server->listenTls(*identity, listenAddress, port);
        if (!listening)
            return fail(listening.error());
        printErr(QStringLiteral("signiq-edge: API on https://%1:%2/v1/ (TLS 1.3)\n").arg(listenAddress.toString()).arg(*listening));
        // What the console asks the admin to compare on first contact.
        printErr(QStringLiteral("signiq-edge: TLS certificate SHA-256 fingerprint: %1\n")
                     .arg(fingerprintText(identity->certificate.digest(QCryptographicHash::Sha256))));

        // Certificate renewal at 2/3 of the lifetime: the server keeps its old identity until
        // the new one is stored, then swaps; open connections are not dropped.
        if (parser.isSet(renewFrom)) {
            const QString renewServer = parser.value(renewFrom);
            const qsizetype colon = renewServer.lastIndexOf(QLatin1Char(':'));
            bool portOk = false;
            const quint16 renewPort = colon > 0 ? quint16(renewServer.mid(colon + 1).toUInt(&portOk)) : 0;
            auto ca = identityStore->caCertificate();
            bool checkOk = false;
            const int checkS = parser.value(renewCheck).toInt(&checkOk);
            if (!portOk || renewPort == 0)
                return fail(QStringLiteral("--renew-from '%1' must be HOST:PORT").arg(renewServer), ExitUsage);
            if (!checkOk || checkS < 1)
                return fail(QStringLiteral("--renew-check-s must be a whole number of seconds >= 1"), ExitUsage);
            if (!ca)
                return fail(ca.error());
            renewer = std::make_unique<enroll::CertificateRenewer>(
                *identityStore, enroll::EnrollmentEndpoint{renewServer.left(colon), renewPort, *ca}, clock);
            QObject::connect(renewer.get(), &enroll::CertificateRenewer::renewed, renewer.get(), [&](const crypto::TlsIdentity &renewed) {
                if (auto swapped = server->tlsServer()->setIdentity(renewed); !swapped)
                    printErr(QStringLiteral("signiq-edge: warning: renewed certificate not applied: %1\n").arg(swapped.error().message));
                else
                    printErr(QStringLiteral("signiq-edge: device certificate renewed (serial %1), API now serves it\n")
                                 .arg(QString::fromLatin1(renewed.certificate.serialNumber())));
            });
            QObject::connect(renewer.get(), &enroll::CertificateRenewer::renewalFailed, renewer.get(), [](const QString &reason) {
                printErr(QStringLiteral("signiq-edge: warning: certificate renewal failed (will retry): %1\n").arg(reason));
            });
            renewer->start(checkS * 1000);
        }
    }

    const std::atomic<bool> &stop = installStopSignalHandlers();
    const bool showProgress = settings.once && stderrIsTerminal();
    QElapsedTimer sinceRedraw;
    sinceRedraw.start();
    QElapsedTimer wall;
    wall.start();
    pipeline->setProgressCallback([&](qint64 done, qint64 total) {
        if (!showProgress)
            return;
        if (sinceRedraw.elapsed() < 100 && done != total)
            return;
        sinceRedraw.restart();
        const double fps = wall.elapsed() > 0 ? double(done) * 1000.0 / double(wall.elapsed()) : 0.0;
        printErr(QStringLiteral("\r\033[K") + progressBar(done, total, QStringLiteral("%1 fps").arg(fps, 0, 'f', 1)));
    });
    if (!showProgress)
        printErr(QStringLiteral("signiq-edge: processing %1 (Ctrl+C stops and stores the open windows)\n").arg(settings.source));

    // The pipeline on a worker thread with its own database connection (WAL: the API reads
    // and audits through the other one meanwhile). SIGINT/SIGTERM set `stop`; the pipeline
    // closes and stores its open windows and the thread ends, which ends the event loop.
    std::optional<core::Result<pipeline::PipelineReport>> outcome;
    QEventLoop loop;
    std::unique_ptr<QThread> worker(QThread::create([&] {
        auto db = session->openWorkerDatabase(QStringLiteral("signiq-edge-pipeline"));
        if (!db) {
            outcome = core::Result<pipeline::PipelineReport>(db.error());
            return;
        }
        const core::SystemClock clock;
        storage::SyncOutbox outbox(*db, clock, settings.outboxCapacity);
        EdgeSession::setStoreSinks(*pipeline, outbox);
        health.update([](protocol::HealthRecord &h) { h.status = QStringLiteral("ok"); });
        outcome = pipeline->run(stop);
        db->close();
    }));
    QObject::connect(worker.get(), &QThread::finished, &loop, &QEventLoop::quit);

    // systemd (Type=notify): READY=1 once the first frame is processed; then WATCHDOG=1 from this
    // event loop only while frames keep getting processed, so a stuck capture or pipeline stops
    // pinging and systemd restarts the camera; STOPPING=1 as soon as a stop signal arrives.
    const core::ServiceNotifier systemd = core::ServiceNotifier::fromEnvironment();
    QTimer progressCheck;
    qint64 framesAtLastPing = 0;
    bool ready = false;
    bool stopping = false;
    if (systemd.enabled()) {
        QObject::connect(&progressCheck, &QTimer::timeout, &progressCheck, [&] {
            if (stopSignalReceived()) {
                if (!stopping)
                    (void)systemd.stopping();
                stopping = true;
                return;
            }
            const qint64 frames = pipeline->liveStats().framesProcessed;
            if (frames <= framesAtLastPing)
                return; // no progress: no ping
            framesAtLastPing = frames;
            if (!ready) {
                ready = true;
                if (auto sent = systemd.ready(); !sent)
                    printErr(QStringLiteral("signiq-edge: warning: %1\n").arg(sent.error().message));
            } else {
                (void)systemd.watchdog();
            }
        });
        const qint64 ms = systemd.watchdogPingIntervalMs();
        progressCheck.start(std::chrono::milliseconds(ms > 0 ? std::min<qint64>(ms, 1000) : 1000));
    }
    // The sync worker on its own thread and connection: sends what the pipeline stores, oldest
    // first, with backoff; after the pipeline ended normally it pushes once more, so that a file
    // run sends its last windows too.
    std::atomic<bool> syncStop{false};
    std::unique_ptr<QThread> syncThread;
    if (syncEndpoint) {
        syncThread.reset(QThread::create([&] {
            auto db = session->openWorkerDatabase(QStringLiteral("signiq-edge-sync"));
            if (!db) {
                printErr(QStringLiteral("signiq-edge: warning: sync not started: %1\n").arg(db.error().message));
                return;
            }
            const core::SystemClock clock;
            storage::SyncOutbox outbox(*db, clock, settings.outboxCapacity);
            sync::HttpsHubClient client(*syncEndpoint);
            sync::SyncWorker syncWorker(outbox, client, clock, sync::RetryPolicy(), syncBatchWindows);
            const auto wait = [&](qint64 ms) {
                for (qint64 waited = 0; waited < ms && !syncStop.load() && !stop.load(); waited += 200)
                    QThread::msleep(quint64(std::min<qint64>(200, ms - waited)));
            };
            sync::SyncLoop::run(syncWorker, clock, syncStop, syncIntervalMs, wait);
            if (!stop.load()) {
                if (auto last = syncWorker.runOnce(); !last)
                    printErr(QStringLiteral("signiq-edge: warning: last sync failed: %1\n").arg(last.error().message));
            }
            db->close();
        }));
        syncThread->start();
    }
    worker->start();
    loop.exec();
    progressCheck.stop();
    if (systemd.enabled() && !stopping)
        (void)systemd.stopping();
    worker->wait();
    worker.reset();
    if (syncThread) {
        syncStop = true;
        syncThread->wait();
        syncThread.reset();
    }
    if (overlay)
        overlay->stop();
    renewer.reset();
    server.reset();
    overlay.reset();
    auto result = std::move(*outcome);
    if (showProgress)
        printErr(QStringLiteral("\n"));
    if (!result)
        return fail(result.error());

    if (!settings.reportFile.isEmpty()) {
        QSaveFile file(settings.reportFile);
        if (!file.open(QIODevice::WriteOnly)
            || file.write(QJsonDocument(result->toJson()).toJson(QJsonDocument::Indented)) < 0 || !file.commit())
            return fail(QStringLiteral("cannot write report %1: %2").arg(settings.reportFile, file.errorString()));
    }
    printOut(summaryTable(*result));
    if (!settings.reportFile.isEmpty())
        printOut(QStringLiteral("Report      %1\n").arg(settings.reportFile));
    return ExitOk;
}

} // namespace signiq::edge
