#include "client/DemoData.h"

#include "client/FakeDeviceClient.h"
#include "crypto/CertificateAuthority.h"
#include "crypto/PrivateKey.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace signiq::console {

namespace {
constexpr qint64 MinuteMs = 60'000;
constexpr qint64 HourMs = 60 * MinuteMs;
constexpr qint64 DayMs = 24 * HourMs;
const QString ModelVersion = QStringLiteral("yolo-fastest-1.1-body@3f2a9c1d");
const QString AgeModelVersion = QStringLiteral("age-gender-retail-0013@8b41e0aa");

quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

double unit(quint64 seed) // [0, 1)
{
    return double(mix(seed) >> 11) * (1.0 / 9007199254740992.0);
}

// Visitors per minute over the day (local opening hours 8-21, peaks at lunch and after work),
// higher on Saturdays, quiet on Sundays.
double traffic(qint64 ms)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms);
    const double hour = local.time().hour() + local.time().minute() / 60.0;
    const int weekday = local.date().dayOfWeek();
    if (hour < 8.0 || hour >= 21.0)
        return 0.05;
    const double lunch = std::exp(-std::pow((hour - 12.5) / 1.2, 2.0));
    const double evening = std::exp(-std::pow((hour - 17.5) / 1.5, 2.0));
    double level = 0.6 + 2.2 * lunch + 2.8 * evening;
    if (weekday == 6)
        level *= 1.5;
    else if (weekday == 7)
        level *= 0.4;
    return level;
}

struct ZoneProfile {
    double scale;       // share of the traffic
    double lookShare;   // share of visitors who look at the screen
    double dwellS;      // typical dwell
};

ZoneProfile profile(int zone)
{
    static const ZoneProfile profiles[] = {
        {3.0, 0.25, 8.0}, {1.6, 0.45, 22.0}, {1.2, 0.35, 40.0}, {0.9, 0.55, 15.0}, {0.7, 0.30, 70.0}, {0.5, 0.20, 12.0},
    };
    return profiles[zone % 6];
}

int poisson(double lambda, quint64 seed)
{
    // Knuth for small lambda, normal approximation above.
    if (lambda <= 0.0)
        return 0;
    if (lambda > 30.0)
        return std::max(0, int(std::lround(lambda + std::sqrt(lambda) * (unit(seed) + unit(seed + 1) + unit(seed + 2) - 1.5) * 2.0)));
    const double limit = std::exp(-lambda);
    double p = 1.0;
    int k = 0;
    do {
        ++k;
        p *= unit(seed + quint64(k));
    } while (p > limit && k < 200);
    return k - 1;
}
} // namespace

QStringList DemoData::zoneNames()
{
    return {QStringLiteral("entrance"), QStringLiteral("window display"), QStringLiteral("checkout"),
            QStringLiteral("promo screen"), QStringLiteral("lounge"), QStringLiteral("exit")};
}

ZonesDocument DemoData::zones()
{
    core::ZoneConfig config;
    const QList<QList<QPointF>> polygons = {
        {{0.05, 0.62}, {0.35, 0.62}, {0.35, 0.95}, {0.05, 0.95}},
        {{0.38, 0.55}, {0.62, 0.55}, {0.66, 0.95}, {0.36, 0.95}},
        {{0.66, 0.60}, {0.95, 0.60}, {0.95, 0.95}, {0.68, 0.95}},
        {{0.40, 0.30}, {0.60, 0.30}, {0.62, 0.52}, {0.38, 0.52}},
        {{0.06, 0.30}, {0.34, 0.30}, {0.34, 0.58}, {0.06, 0.58}},
        {{0.66, 0.30}, {0.94, 0.30}, {0.94, 0.56}, {0.66, 0.56}},
    };
    const QStringList names = zoneNames();
    for (int i = 0; i < names.size(); ++i)
        config.zones.append(core::Zone{names.at(i), polygons.at(i)});
    config.lines.append(core::CountingLine{QStringLiteral("door"), names.first(), QPointF(0.08, 0.9), QPointF(0.32, 0.9)});
    core::Calibration calibration;
    calibration.floorPoints = {{QPointF(0.1, 0.9), QPointF(-2.0, 1.0)},
                               {QPointF(0.9, 0.9), QPointF(2.0, 1.0)},
                               {QPointF(0.7, 0.5), QPointF(2.0, 6.0)},
                               {QPointF(0.3, 0.5), QPointF(-2.0, 6.0)}};
    calibration.screen = core::ScreenGeometry{QPointF(0, 0), 1.6, 1.2, 0.7};
    calibration.camera = core::CameraPlacement{QPointF(0.4, 0), 2.2};
    config.calibration = calibration;
    return ZonesDocument{config, config.version()};
}

QList<core::AudienceWindow> DemoData::windows(const WindowQuery &query)
{
    const QStringList names = zoneNames();
    const QString calibrationVersion = zones().calibrationVersion;
    QList<core::AudienceWindow> out;
    const qint64 first = (query.fromMs + MinuteMs - 1) / MinuteMs * MinuteMs;
    QList<int> zoneIndices;
    for (int z = 0; z < names.size(); ++z)
        if (query.zone.isEmpty() || names.at(z) == query.zone)
            zoneIndices.append(z);
    if (query.toMs > first)
        out.reserve(qsizetype((query.toMs - first) / MinuteMs) * zoneIndices.size());
    double hourTraffic = 0.0;
    qint64 trafficHour = -1;
    for (qint64 start = first; start < query.toMs; start += MinuteMs) {
        if (start / (15 * MinuteMs) != trafficHour) { // the traffic curve is sampled every 15 minutes
            trafficHour = start / (15 * MinuteMs);
            hourTraffic = traffic(start);
        }
        const bool night = hourTraffic < 0.1;
        for (int z : zoneIndices) {
            const ZoneProfile p = profile(z);
            const quint64 seed = mix(quint64(start / MinuteMs) * 31 + quint64(z));
            core::AudienceWindow w;
            w.zone = names.at(z);
            w.startMs = start;
            w.endMs = start + MinuteMs;
            w.ots = poisson(hourTraffic * p.scale, seed);
            w.entries = std::max(0, w.ots - int(unit(seed + 7) * 2.0));
            w.exits = std::max(0, w.ots - int(unit(seed + 8) * 2.0));
            const double dwell = p.dwellS * (0.6 + 0.8 * unit(seed + 9));
            w.meanOccupancy = std::min(double(w.ots), w.ots * dwell / 60.0);
            w.peakOccupancy = w.ots > 0 ? std::max(1, int(std::ceil(w.meanOccupancy * 1.6))) : 0;
            for (int e = 0; e < w.exits; ++e)
                w.dwellBands[std::size_t(core::dwellBandFor(dwell * (0.2 + 1.6 * unit(seed + 20 + quint64(e)))))] += 1;
            w.meanDwellS = w.exits > 0 ? dwell : 0.0;
            w.viewers = std::min(w.ots, poisson(w.ots * p.lookShare, seed + 11));
            w.attentionEvents = w.viewers;
            w.attentionTimeS = w.viewers * (1.5 + 3.0 * unit(seed + 12));
            const double personTime = w.meanOccupancy * 60.0;
            w.attentionTimeS = std::min(w.attentionTimeS, personTime);
            w.meanAttentionS = w.viewers > 0 ? w.attentionTimeS / w.viewers : 0.0;
            w.attentionRate = personTime > 0 ? w.attentionTimeS / personTime : 0.0;
            if (z == 0 && w.exits > 0) {
                const int moves = int(w.exits * 0.6);
                for (int m = 0; m < moves; ++m) {
                    const int to = 1 + int(unit(seed + 40 + quint64(m)) * (names.size() - 1));
                    w.transitionsTo[names.at(to)] += 1;
                }
            } else if (z > 0 && z < names.size() - 1 && w.exits > 0) {
                const int moves = int(w.exits * 0.4);
                if (moves > 0)
                    w.transitionsTo[names.at(z + 1)] += moves;
            }
            w.confidence = night ? 0.55 : 0.9;
            w.qualityFlags = night ? quint32(core::QualityLowLight) : 0u;
            w.modelVersion = ModelVersion;
            w.calibrationVersion = calibrationVersion;
            out.append(std::move(w));
        }
    }
    return out;
}

QList<core::DemographicWindow> DemoData::demographicWindows(const WindowQuery &query)
{
    constexpr qint64 WindowMs = 5 * MinuteMs;
    const QStringList names = zoneNames();
    const QString calibrationVersion = zones().calibrationVersion;
    // Shares of age band x gender among viewers of a shop front.
    static const double shares[core::AgeBandCount][core::GenderCount] = {
        {0.02, 0.02}, {0.08, 0.07}, {0.12, 0.11}, {0.10, 0.10}, {0.08, 0.08}, {0.06, 0.06}, {0.05, 0.05}};
    QList<core::DemographicWindow> out;
    const qint64 first = (query.fromMs + WindowMs - 1) / WindowMs * WindowMs;
    for (qint64 start = first; start < query.toMs; start += WindowMs) {
        const double level = traffic(start);
        for (int z = 0; z < names.size(); ++z) {
            if (!query.zone.isEmpty() && names.at(z) != query.zone)
                continue;
            const ZoneProfile p = profile(z);
            core::DemographicWindow w;
            w.zone = names.at(z);
            w.startMs = start;
            w.endMs = start + WindowMs;
            const quint64 seed = mix(quint64(start / WindowMs) * 131 + quint64(z));
            for (int a = 0; a < core::AgeBandCount; ++a) {
                for (int g = 0; g < core::GenderCount; ++g) {
                    const int n = poisson(level * p.scale * 5.0 * shares[a][g] * 1.4, seed + quint64(a * 2 + g) * 17);
                    if (n < w.k)
                        w.suppressed[std::size_t(a)][std::size_t(g)] = true;
                    else
                        w.counts[std::size_t(a)][std::size_t(g)] = n;
                }
            }
            w.modelVersion = AgeModelVersion;
            w.calibrationVersion = calibrationVersion;
            out.append(w);
        }
    }
    return out;
}

OverlayFrame DemoData::overlayFrame(qint64 nowMs)
{
    OverlayFrame frame;
    frame.timestampMs = nowMs;
    frame.image = QImage(960, 540, QImage::Format_RGB32);
    frame.image.fill(QColor(48, 52, 60));
    QPainter painter(&frame.image);
    painter.setRenderHint(QPainter::Antialiasing);
    // Floor, shelves and a screen as flat shapes: the overlay never contains camera pixels.
    painter.fillRect(QRectF(0, 250, 960, 290), QColor(70, 76, 86));
    painter.fillRect(QRectF(380, 40, 200, 110), QColor(30, 120, 200));
    painter.setPen(QColor(200, 210, 220));
    painter.drawText(QRectF(380, 40, 200, 110), Qt::AlignCenter, QStringLiteral("SCREEN"));
    const QStringList names = zoneNames();
    const ZonesDocument doc = zones();
    const qint64 tick = nowMs / 500;
    for (int person = 0; person < 7; ++person) {
        const double phase = (tick + person * 37) % 200 / 200.0;
        const double x = 0.08 + 0.84 * (person % 2 ? phase : 1.0 - phase);
        const double y = 0.45 + 0.07 * person;
        const QRectF box(x * 960 - 18, y * 540 - 70, 36, 70);
        painter.setPen(QPen(QColor(255, 196, 0), 2));
        painter.setBrush(QColor(255, 196, 0, 60));
        painter.drawRoundedRect(box, 6, 6);
        const QPointF foot(x, y);
        for (const core::Zone &zone : doc.config.zones)
            if (zone.contains(foot))
                frame.occupancyByZone[zone.name] += 1;
    }
    for (const QString &name : names)
        if (!frame.occupancyByZone.contains(name))
            frame.occupancyByZone.insert(name, 0);
    return frame;
}

core::Result<PeerIdentity> DemoData::identity(const QString &host, const core::Clock &clock)
{
    auto ca = crypto::CertificateAuthority::create(QStringLiteral("Signiq demo CA"), 365 * DayMs, clock);
    if (!ca)
        return ca.error();
    auto key = crypto::PrivateKey::generateEcP256();
    if (!key)
        return key.error();
    auto request = crypto::CertificateRequest::create(key.value(), host);
    if (!request)
        return request.error();
    crypto::IssueOptions options;
    options.commonName = host;
    options.dnsNames = {host};
    options.lifetimeMs = 90 * DayMs;
    auto leaf = ca->issue(request.value(), options, clock);
    if (!leaf)
        return leaf.error();
    return PeerIdentity{{leaf->toQSslCertificate(), ca->certificate().toQSslCertificate()}, QStringLiteral("TLS 1.3")};
}

void DemoData::populate(FakeDeviceClient &client, const core::Clock &clock)
{
    const qint64 now = clock.nowMs();
    DeviceHealth health;
    health.status = QStringLiteral("ok");
    health.uptimeS = 9 * 24 * 3600 + 3 * 3600;
    health.pipelineFps = 14.8;
    health.captureToReleaseP50Ms = 38.0;
    health.captureToReleaseP99Ms = 71.0;
    health.modelVersion = ModelVersion;
    health.calibrationVersion = zones().calibrationVersion;
    health.tlsProtocol = QStringLiteral("TLS 1.3");
    client.setHealth(health);
    client.setZones(zones());
    client.setWindowSource(&DemoData::windows);
    client.setDemographicSource(&DemoData::demographicWindows);
    client.setOverlayFrameSource(&DemoData::overlayFrame);

    using protocol::Scope;
    const struct {
        const char *id;
        const char *label;
        protocol::Scopes scopes;
        protocol::Tier tier;
        qint64 ageDays;
        qint64 lastUsedAgoMin;
    } keys[] = {
        {"k3x9m2p7q4ad", "bootstrap admin", Scope::Admin | Scope::Read, protocol::Tier::Enterprise, 40, 3},
        {"r8f2n6c1v5tz", "BI dashboard", Scope::Read | Scope::Analytics | Scope::Export, protocol::Tier::Pro, 21, 12},
        {"w4j7h9s2e6lb", "installer tablet", Scope::Read | Scope::Write | Scope::Calibrate, protocol::Tier::Free, 9, 60 * 26},
    };
    for (const auto &k : keys) {
        ApiKeyInfo info;
        info.keyId = QString::fromLatin1(k.id);
        info.name = QString::fromLatin1(k.label);
        info.scopes = k.scopes;
        info.tier = k.tier;
        info.createdAtMs = now - k.ageDays * DayMs;
        info.lastUsedAtMs = now - k.lastUsedAgoMin * MinuteMs;
        client.addKey(info);
    }
    // 30 days of audit history.
    const QStringList actors = {QStringLiteral("k3x9m2p7q4ad"), QStringLiteral("r8f2n6c1v5tz"),
                                QStringLiteral("w4j7h9s2e6lb"), QStringLiteral("cli")};
    const QStringList actions = {QStringLiteral("windows.export"), QStringLiteral("zones.update"),
                                 QStringLiteral("overlay.open"), QStringLiteral("auth.denied"), QStringLiteral("key.create")};
    client.recordAudit(QStringLiteral("cli"), QStringLiteral("key.create"), QStringLiteral("k3x9m2p7q4ad"),
                       QStringLiteral("ok"), now - 40 * DayMs);
    for (int i = 0; i < 120; ++i) {
        const quint64 seed = mix(quint64(i) + 991);
        const qint64 at = now - 30 * DayMs + qint64(i) * (30 * DayMs / 121);
        const QString action = actions.at(int(seed % quint64(actions.size())));
        const QString actor = actors.at(int((seed >> 8) % quint64(actors.size())));
        const QString result = action == QStringLiteral("auth.denied") ? QStringLiteral("denied") : QStringLiteral("ok");
        QString target = QStringLiteral("/v1/windows");
        if (action == QStringLiteral("zones.update"))
            target = zones().calibrationVersion;
        else if (action == QStringLiteral("key.create"))
            target = QStringLiteral("n%1").arg(seed % 1000000000000ULL, 12, 36, QLatin1Char('0')).left(12);
        else if (action == QStringLiteral("overlay.open"))
            target = QStringLiteral("/v1/overlay");
        client.recordAudit(actor, action, target, result, at);
    }
}

} // namespace signiq::console
