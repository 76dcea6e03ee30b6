#include "client/FakeDeviceClient.h"

#include "audit/AuditFilter.h"
#include "protocol/ApiKey.h"

#include <QtConcurrent>

#include <algorithm>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

namespace {
constexpr qint64 DayMs = 24LL * 3600 * 1000;
const QString FakeActor = QStringLiteral("console");

class FakeOverlayStream final : public OverlayStream {
public:
    FakeOverlayStream(std::function<OverlayFrame(qint64)> source, const core::Clock &clock, int intervalMs)
        : m_source(std::move(source)), m_clock(clock)
    {
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, [this] { emit frameReceived(m_source(m_clock.nowMs())); });
        m_timer.start();
        QTimer::singleShot(0, this, [this] { emit frameReceived(m_source(m_clock.nowMs())); });
    }

private:
    std::function<OverlayFrame(qint64)> m_source;
    const core::Clock &m_clock;
    QTimer m_timer;
};
} // namespace

FakeDeviceClient::FakeDeviceClient(const core::Clock &clock, QObject *parent) : QObject(parent), m_clock(clock)
{
    m_health.status = QStringLiteral("ok");
    m_health.tlsProtocol = QStringLiteral("TLS 1.3");
    m_health.pipelineFps = 15.0;
    m_health.modelVersion = QStringLiteral("yolo-fastest-1.1-body@fake");
    core::Zone zone{QStringLiteral("entrance"),
                    {QPointF(0.1, 0.5), QPointF(0.9, 0.5), QPointF(0.9, 0.95), QPointF(0.1, 0.95)}};
    m_zones.config.zones = {zone};
    m_zones.calibrationVersion = m_zones.config.version();
    m_health.calibrationVersion = m_zones.calibrationVersion;
}

FakeDeviceClient::~FakeDeviceClient() = default;

void FakeDeviceClient::setWindows(QList<core::AudienceWindow> windows)
{
    m_windowSource = [windows = std::move(windows)](const WindowQuery &query) {
        QList<core::AudienceWindow> out;
        for (const core::AudienceWindow &w : windows)
            if (w.startMs >= query.fromMs && w.startMs < query.toMs && (query.zone.isEmpty() || w.zone == query.zone))
                out.append(w);
        return out;
    };
}

void FakeDeviceClient::setDemographicWindows(QList<core::DemographicWindow> windows)
{
    m_demographicSource = [windows = std::move(windows)](const WindowQuery &query) {
        QList<core::DemographicWindow> out;
        for (const core::DemographicWindow &w : windows)
            if (w.startMs >= query.fromMs && w.startMs < query.toMs && (query.zone.isEmpty() || w.zone == query.zone))
                out.append(w);
        return out;
    };
}

void FakeDeviceClient::recordAudit(const QString &actor, const QString &action, const QString &target,
                                   const QString &result, qint64 atMs)
{
    protocol::AuditEntry entry;
    entry.timestampMs = atMs > 0 ? atMs : m_clock.nowMs();
    entry.actor = actor;
    entry.sourceIp = QStringLiteral("192.0.2.10");
    entry.action = action;
    entry.target = target;
    entry.result = result;
    m_audit.append(protocol::AuditChain::link(entry, m_audit.isEmpty() ? nullptr : &m_audit.constLast()));
}

void FakeDeviceClient::failNext(Operation operation, core::Error error)
{
    m_failures.insert(operation, std::move(error));
}

std::optional<core::Error> FakeDeviceClient::takeFailure(Operation operation)
{
    m_calls[operation] += 1;
    if (!m_failures.contains(operation))
        return std::nullopt;
    return m_failures.take(operation);
}

void FakeDeviceClient::registerKey(const ApiKeyInfo &key, const QString &token)
{
    if (keyIndex(key.keyId) < 0)
        m_keys.append(key);
    m_secretHashes.insert(key.keyId, protocol::ApiKeyFormat::hashToken(token));
}

std::optional<core::Error> FakeDeviceClient::refusal() const
{
    const auto parsed = protocol::ApiKeyFormat::parse(m_apiKey);
    if (!parsed || !m_secretHashes.contains(parsed->keyId))
        return std::nullopt;
    const qsizetype i = keyIndex(parsed->keyId);
    if (i >= 0 && m_keys.at(i).revokedAtMs)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("key revoked (HTTP 401 unauthorized)"));
    const QByteArray hash = protocol::ApiKeyFormat::hashToken(m_apiKey);
    if (hash == m_secretHashes.value(parsed->keyId))
        return std::nullopt;
    const bool overlap = i >= 0 && m_keys.at(i).previousValidUntilMs && *m_keys.at(i).previousValidUntilMs > m_clock.nowMs();
    if (overlap && hash == m_previousHashes.value(parsed->keyId))
        return std::nullopt;
    return makeError(ErrorCode::PermissionDenied, QStringLiteral("unknown key or secret (HTTP 401 unauthorized)"));
}

qsizetype FakeDeviceClient::keyIndex(const QString &keyId) const
{
    for (qsizetype i = 0; i < m_keys.size(); ++i)
        if (m_keys.at(i).keyId == keyId)
            return i;
    return -1;
}

DeviceClient::Reply<DeviceHealth> FakeDeviceClient::health()
{
    if (auto failure = takeFailure(Operation::Health))
        return later<DeviceHealth>(*failure);
    return later<DeviceHealth>(m_health);
}

DeviceClient::Reply<QList<core::AudienceWindow>> FakeDeviceClient::windows(const WindowQuery &query)
{
    if (auto failure = takeFailure(Operation::Windows))
        return later<QList<core::AudienceWindow>>(*failure);
    if (auto refused = refusal())
        return later<QList<core::AudienceWindow>>(*refused);
    if (!m_windowSource)
        return later<QList<core::AudienceWindow>>(QList<core::AudienceWindow>());
    // Producing and filtering many windows takes a while: off the GUI thread, like the parsing
    // of a real response.
    return QtConcurrent::run([source = m_windowSource, query]() -> core::Result<QList<core::AudienceWindow>> {
        return source(query);
    });
}

DeviceClient::Reply<QList<core::DemographicWindow>> FakeDeviceClient::demographicWindows(const WindowQuery &query)
{
    if (auto failure = takeFailure(Operation::Demographics))
        return later<QList<core::DemographicWindow>>(*failure);
    if (auto refused = refusal())
        return later<QList<core::DemographicWindow>>(*refused);
    if (!m_demographicSource)
        return later<QList<core::DemographicWindow>>(QList<core::DemographicWindow>());
    return QtConcurrent::run([source = m_demographicSource, query]() -> core::Result<QList<core::DemographicWindow>> {
        return source(query);
    });
}

DeviceClient::Reply<ZonesDocument> FakeDeviceClient::zones()
{
    if (auto failure = takeFailure(Operation::Zones))
        return later<ZonesDocument>(*failure);
    if (auto refused = refusal())
        return later<ZonesDocument>(*refused);
    return later<ZonesDocument>(m_zones);
}

DeviceClient::Reply<QString> FakeDeviceClient::putZones(const core::ZoneConfig &config)
{
    if (auto failure = takeFailure(Operation::PutZones))
        return later<QString>(*failure);
    if (auto refused = refusal())
        return later<QString>(*refused);
    const core::Status valid = config.validate();
    if (!valid) {
        recordAudit(FakeActor, QStringLiteral("zones.update"), QStringLiteral("zones"),
                    QStringLiteral("error: ") + valid.error().message);
        return later<QString>(makeError(ErrorCode::InvalidArgument, valid.error().message));
    }
    m_zones.config = config;
    m_zones.calibrationVersion = config.version();
    m_health.calibrationVersion = m_zones.calibrationVersion;
    recordAudit(FakeActor, QStringLiteral("zones.update"), m_zones.calibrationVersion);
    return later<QString>(m_zones.calibrationVersion);
}

DeviceClient::Reply<QList<ApiKeyInfo>> FakeDeviceClient::keys()
{
    if (auto failure = takeFailure(Operation::Keys))
        return later<QList<ApiKeyInfo>>(*failure);
    if (auto refused = refusal())
        return later<QList<ApiKeyInfo>>(*refused);
    return later<QList<ApiKeyInfo>>(m_keys);
}

DeviceClient::Reply<IssuedKey> FakeDeviceClient::createKey(const NewKeyRequest &request)
{
    if (auto failure = takeFailure(Operation::CreateKey))
        return later<IssuedKey>(*failure);
    if (auto refused = refusal())
        return later<IssuedKey>(*refused);
    if (!request.scopes)
        return later<IssuedKey>(makeError(ErrorCode::InvalidArgument, QStringLiteral("scopes: at least one scope is required")));
    if (request.expiresAtMs && *request.expiresAtMs <= m_clock.nowMs())
        return later<IssuedKey>(makeError(ErrorCode::InvalidArgument, QStringLiteral("expires_at: must be in the future")));
    auto generated = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live);
    if (!generated)
        return later<IssuedKey>(generated.error());
    IssuedKey issued;
    issued.token = generated->token;
    issued.info.keyId = generated->keyId;
    issued.info.name = request.name;
    issued.info.scopes = request.scopes;
    issued.info.tier = request.tier;
    issued.info.createdAtMs = m_clock.nowMs();
    issued.info.expiresAtMs = request.expiresAtMs;
    m_keys.append(issued.info);
    m_secretHashes.insert(issued.info.keyId, protocol::ApiKeyFormat::hashToken(issued.token));
    recordAudit(FakeActor, QStringLiteral("key.create"), issued.info.keyId);
    return later<IssuedKey>(issued);
}

DeviceClient::Reply<IssuedKey> FakeDeviceClient::rotateKey(const QString &keyId, int overlapDays)
{
    if (auto failure = takeFailure(Operation::RotateKey))
        return later<IssuedKey>(*failure);
    if (auto refused = refusal())
        return later<IssuedKey>(*refused);
    const qsizetype i = keyIndex(keyId);
    if (i < 0 || m_keys.at(i).revokedAtMs)
        return later<IssuedKey>(makeError(ErrorCode::NotFound, QStringLiteral("no active key '%1'").arg(keyId)));
    if (overlapDays < 0 || overlapDays > 7)
        return later<IssuedKey>(makeError(ErrorCode::InvalidArgument, QStringLiteral("overlap_days: must be 0..7")));
    auto generated = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live, keyId);
    if (!generated)
        return later<IssuedKey>(generated.error());
    if (m_secretHashes.contains(keyId)) {
        m_previousHashes.insert(keyId, m_secretHashes.value(keyId));
        m_secretHashes.insert(keyId, protocol::ApiKeyFormat::hashToken(generated->token));
    }
    ApiKeyInfo &key = m_keys[i];
    key.previousValidUntilMs = overlapDays > 0 ? std::optional<qint64>(m_clock.nowMs() + overlapDays * DayMs) : std::nullopt;
    recordAudit(FakeActor, QStringLiteral("key.rotate"), keyId);
    return later<IssuedKey>(IssuedKey{key, generated->token});
}

DeviceClient::Reply<bool> FakeDeviceClient::revokeKey(const QString &keyId)
{
    if (auto failure = takeFailure(Operation::RevokeKey))
        return later<bool>(*failure);
    if (auto refused = refusal())
        return later<bool>(*refused);
    const qsizetype i = keyIndex(keyId);
    if (i < 0)
        return later<bool>(makeError(ErrorCode::NotFound, QStringLiteral("no key '%1'").arg(keyId)));
    m_keys[i].revokedAtMs = m_clock.nowMs();
    m_keys[i].previousValidUntilMs.reset();
    recordAudit(FakeActor, QStringLiteral("key.revoke"), keyId);
    return later<bool>(true);
}

DeviceClient::Reply<QList<protocol::AuditEntry>> FakeDeviceClient::audit(const AuditQuery &query)
{
    if (auto failure = takeFailure(Operation::Audit))
        return later<QList<protocol::AuditEntry>>(*failure);
    if (auto refused = refusal())
        return later<QList<protocol::AuditEntry>>(*refused);
    return later<QList<protocol::AuditEntry>>(filterAuditEntries(m_audit, query));
}

DeviceClient::Reply<QByteArray> FakeDeviceClient::exportAudit(const AuditQuery &query, AuditExportFormat format)
{
    if (auto failure = takeFailure(Operation::ExportAudit))
        return later<QByteArray>(*failure);
    if (auto refused = refusal())
        return later<QByteArray>(*refused);
    const QList<protocol::AuditEntry> slice = auditTimeSlice(m_audit, query);
    recordAudit(FakeActor, QStringLiteral("audit.export"), format == AuditExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    return later<QByteArray>(format == AuditExportFormat::Csv ? protocol::AuditChain::toCsv(slice)
                                                              : protocol::AuditChain::toJsonLines(slice));
}

std::unique_ptr<OverlayStream> FakeDeviceClient::openOverlay()
{
    if (auto failure = takeFailure(Operation::Overlay)) {
        auto stream = std::make_unique<OverlayStream>();
        OverlayStream *raw = stream.get();
        QTimer::singleShot(0, raw, [raw, message = failure->message] { emit raw->closed(message); });
        return stream;
    }
    recordAudit(FakeActor, QStringLiteral("overlay.open"), QStringLiteral("overlay"));
    auto source = m_overlaySource;
    if (!source) {
        source = [](qint64 nowMs) {
            OverlayFrame frame;
            frame.image = QImage(640, 360, QImage::Format_RGB32);
            frame.image.fill(QColor(60, 64, 72));
            frame.timestampMs = nowMs;
            return frame;
        };
    }
    return std::make_unique<FakeOverlayStream>(std::move(source), m_clock, m_overlayIntervalMs);
}

} // namespace signiq::console
