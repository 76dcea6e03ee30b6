#include "storage/WindowRepository.h"

#include "storage/EncryptedDatabase.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <array>

namespace signiq::storage {

namespace {

using core::AudienceWindow;
using core::ErrorCode;
using core::makeError;

constexpr int kSqliteConstraint = 19; // SQLITE_CONSTRAINT

const QString kColumns = QStringLiteral(
    "zone, start_ms, end_ms, ots, entries, exits, mean_occupancy, peak_occupancy, "
    "dwell_0_5, dwell_5_15, dwell_15_30, dwell_30_60, dwell_60_plus, mean_dwell_s, line_in, line_out, "
    "transitions_json, confidence, quality_flags, model_version, calibration_version, "
    "viewers, attention_events, attention_time_s, mean_attention_s, attention_rate, mean_speed_mps, distance_bands_json, "
    "walk_toward_s, walk_away_s, walk_left_s, walk_right_s");
constexpr int kColumnCount = 32;

// walk_toward_s, walk_away_s, walk_left_s, walk_right_s, in column order.
constexpr std::array<double core::WalkingDirections::*, 4> kWalkingFields = {
    &core::WalkingDirections::towardS, &core::WalkingDirections::awayS, &core::WalkingDirections::leftS,
    &core::WalkingDirections::rightS};

// female_0_17, male_0_17, female_18_24, ... in AgeBand x gender order.
QStringList demographicCellColumns()
{
    static const char *const kBands[] = {"0_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus"};
    QStringList columns;
    for (const char *band : kBands) {
        for (int g = 0; g < core::GenderCount; ++g)
            columns << core::genderName(g) + QLatin1Char('_') + QLatin1StringView(band);
    }
    return columns;
}

const QString kDemographicColumns = QStringLiteral("zone, start_ms, end_ms, k, ") + demographicCellColumns().join(QStringLiteral(", "))
    + QStringLiteral(", model_version, calibration_version");
constexpr int kDemographicColumnCount = 4 + core::AgeBandCount * core::GenderCount + 2;

QString placeholders(int count)
{
    QString result = QStringLiteral("?");
    for (int i = 1; i < count; ++i)
        result += QStringLiteral(", ?");
    return result;
}

QString distanceBandsJson(const QList<core::DistanceBandMetrics> &bands)
{
    QJsonArray array;
    for (const core::DistanceBandMetrics &b : bands) {
        array.append(QJsonObject{{QStringLiteral("band"), b.band},
                                 {QStringLiteral("presence_s"), b.presenceS},
                                 {QStringLiteral("attention_events"), b.attentionEvents},
                                 {QStringLiteral("attention_time_s"), b.attentionTimeS}});
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

core::Result<QList<core::DistanceBandMetrics>> distanceBandsFromJson(const QString &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isArray())
        return makeError(ErrorCode::Corrupt, QStringLiteral("distance_bands_json is not a JSON array"));
    QList<core::DistanceBandMetrics> bands;
    for (const QJsonValue &value : document.array()) {
        const QJsonObject o = value.toObject();
        bands.append(core::DistanceBandMetrics{o.value(QStringLiteral("band")).toString(),
                                               o.value(QStringLiteral("presence_s")).toDouble(),
                                               o.value(QStringLiteral("attention_events")).toInt(),
                                               o.value(QStringLiteral("attention_time_s")).toDouble()});
    }
    return bands;
}

QSqlDatabase connection(const QString &name)
{
    return QSqlDatabase::database(name, false);
}

core::Error notOpen()
{
    return makeError(ErrorCode::Internal, QStringLiteral("the encrypted database is not open"));
}

QString transitionsJson(const QMap<QString, int> &transitions)
{
    QJsonObject object;
    for (auto it = transitions.cbegin(); it != transitions.cend(); ++it)
        object.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

WindowRepository::WindowRepository(const EncryptedDatabase &database)
    : m_connectionName(database.connectionName())
{
}

core::Status WindowRepository::insert(const QList<AudienceWindow> &windows)
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    if (windows.isEmpty())
        return {};
    if (!db.transaction())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text()));

    core::Status status;
    {
        QSqlQuery query(db);
        if (!query.prepare(QStringLiteral("INSERT INTO audience_windows (") + kColumns + QStringLiteral(") VALUES (")
                           + placeholders(kColumnCount) + QLatin1Char(')'))) {
            status = makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the window insert: %1").arg(query.lastError().text()));
        }
        for (const AudienceWindow &w : windows) {
            if (!status)
                break;
            query.addBindValue(w.zone);
            query.addBindValue(w.startMs);
            query.addBindValue(w.endMs);
            query.addBindValue(w.ots);
            query.addBindValue(w.entries);
            query.addBindValue(w.exits);
            query.addBindValue(w.meanOccupancy);
            query.addBindValue(w.peakOccupancy);
            for (int band : w.dwellBands)
                query.addBindValue(band);
            query.addBindValue(w.meanDwellS);
            query.addBindValue(w.lineIn);
            query.addBindValue(w.lineOut);
            query.addBindValue(transitionsJson(w.transitionsTo));
            query.addBindValue(w.confidence);
            query.addBindValue(qint64(w.qualityFlags));
            query.addBindValue(w.modelVersion);
            query.addBindValue(w.calibrationVersion);
            query.addBindValue(w.viewers);
            query.addBindValue(w.attentionEvents);
            query.addBindValue(w.attentionTimeS);
            query.addBindValue(w.meanAttentionS);
            query.addBindValue(w.attentionRate);
            query.addBindValue(w.meanSpeedMps ? QVariant(*w.meanSpeedMps) : QVariant(QMetaType::fromType<double>()));
            query.addBindValue(distanceBandsJson(w.distanceBands));
            // Walking directions: all four NULL when not measured.
            const std::optional<core::WalkingDirections> &walk = w.walkingDirections;
            for (const auto field : kWalkingFields)
                query.addBindValue(walk ? QVariant((*walk).*field) : QVariant(QMetaType::fromType<double>()));
            if (!query.exec()) {
                const QSqlError error = query.lastError();
                status = makeError(error.nativeErrorCode().toInt() == kSqliteConstraint ? ErrorCode::InvalidArgument
                                                                                        : ErrorCode::Internal,
                                   QStringLiteral("cannot store audience window (zone '%1', start_ms %2): %3; "
                                                  "none of the %4 windows of this batch were stored")
                                       .arg(w.zone).arg(w.startMs).arg(error.databaseText()).arg(windows.size()));
            }
        }
    }
    if (status && !db.commit())
        status = makeError(ErrorCode::Internal, QStringLiteral("cannot commit %1 audience windows: %2")
                                                    .arg(windows.size()).arg(db.lastError().text()));
    if (!status)
        db.rollback();
    return status;
}

core::Result<QList<AudienceWindow>> WindowRepository::windows(qint64 fromMs, qint64 toMs, const QString &zone, qint64 limit,
                                                              qint64 offset) const
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    QSqlQuery query(db);
    query.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM audience_windows WHERE start_ms >= :from AND start_ms < :to");
    if (!zone.isEmpty())
        sql += QStringLiteral(" AND zone = :zone");
    sql += QStringLiteral(" ORDER BY start_ms, zone LIMIT :limit OFFSET :offset");
    if (!query.prepare(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the window query: %1").arg(query.lastError().text()));
    query.bindValue(QStringLiteral(":from"), fromMs);
    query.bindValue(QStringLiteral(":to"), toMs);
    if (!zone.isEmpty())
        query.bindValue(QStringLiteral(":zone"), zone);
    query.bindValue(QStringLiteral(":limit"), limit < 0 ? qint64(-1) : limit); // SQLite: -1 = no limit
    query.bindValue(QStringLiteral(":offset"), std::max<qint64>(0, offset));
    if (!query.exec())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot read audience windows: %1").arg(query.lastError().text()));

    QList<AudienceWindow> result;
    while (query.next()) {
        AudienceWindow w;
        int c = 0;
        w.zone = query.value(c++).toString();
        w.startMs = query.value(c++).toLongLong();
        w.endMs = query.value(c++).toLongLong();
        w.ots = query.value(c++).toInt();
        w.entries = query.value(c++).toInt();
        w.exits = query.value(c++).toInt();
        w.meanOccupancy = query.value(c++).toDouble();
        w.peakOccupancy = query.value(c++).toInt();
        for (int &band : w.dwellBands)
            band = query.value(c++).toInt();
        w.meanDwellS = query.value(c++).toDouble();
        w.lineIn = query.value(c++).toInt();
        w.lineOut = query.value(c++).toInt();
        QJsonParseError parseError;
        const QJsonDocument transitions = QJsonDocument::fromJson(query.value(c++).toString().toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !transitions.isObject())
            return makeError(ErrorCode::Corrupt, QStringLiteral("audience window (zone '%1', start_ms %2): transitions_json is not a JSON object")
                                                     .arg(w.zone).arg(w.startMs));
        const QJsonObject object = transitions.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            w.transitionsTo.insert(it.key(), it.value().toInt());
        w.confidence = query.value(c++).toDouble();
        w.qualityFlags = quint32(query.value(c++).toLongLong());
        w.modelVersion = query.value(c++).toString();
        w.calibrationVersion = query.value(c++).toString();
        w.viewers = query.value(c++).toInt();
        w.attentionEvents = query.value(c++).toInt();
        w.attentionTimeS = query.value(c++).toDouble();
        w.meanAttentionS = query.value(c++).toDouble();
        w.attentionRate = query.value(c++).toDouble();
        const QVariant speed = query.value(c++);
        if (!speed.isNull())
            w.meanSpeedMps = speed.toDouble();
        auto bands = distanceBandsFromJson(query.value(c++).toString());
        if (!bands)
            return makeError(ErrorCode::Corrupt, QStringLiteral("audience window (zone '%1', start_ms %2): %3")
                                                     .arg(w.zone).arg(w.startMs).arg(bands.error().message));
        w.distanceBands = std::move(*bands);
        // All four NULL: not measured; otherwise a NULL (never written so) reads as 0.
        core::WalkingDirections walk;
        bool measured = false;
        for (const auto field : kWalkingFields) {
            const QVariant value = query.value(c++);
            measured = measured || !value.isNull();
            walk.*field = value.toDouble();
        }
        if (measured)
            w.walkingDirections = walk;
        result.append(std::move(w));
    }
    if (query.lastError().isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot read audience windows: %1").arg(query.lastError().text()));
    return result;
}

core::Result<qint64> WindowRepository::count() const
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM audience_windows")) || !query.next())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot count audience windows: %1").arg(query.lastError().text()));
    return query.value(0).toLongLong();
}

core::Result<qint64> WindowRepository::count(qint64 fromMs, qint64 toMs, const QString &zone) const
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    QSqlQuery query(db);
    QString sql = QStringLiteral("SELECT count(*) FROM audience_windows WHERE start_ms >= :from AND start_ms < :to");
    if (!zone.isEmpty())
        sql += QStringLiteral(" AND zone = :zone");
    if (!query.prepare(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the window count: %1").arg(query.lastError().text()));
    query.bindValue(QStringLiteral(":from"), fromMs);
    query.bindValue(QStringLiteral(":to"), toMs);
    if (!zone.isEmpty())
        query.bindValue(QStringLiteral(":zone"), zone);
    if (!query.exec() || !query.next())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot count audience windows: %1").arg(query.lastError().text()));
    return query.value(0).toLongLong();
}

core::Status WindowRepository::insertDemographics(const QList<core::DemographicWindow> &windows)
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    if (windows.isEmpty())
        return {};
    // Defence in depth: a cell shown with fewer than k samples is a privacy bug upstream.
    for (const core::DemographicWindow &w : windows) {
        if (w.k < 1)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("demographic window (zone '%1', start_ms %2): k must be at least 1")
                                                             .arg(w.zone).arg(w.startMs));
        for (int a = 0; a < core::AgeBandCount; ++a) {
            for (int g = 0; g < core::GenderCount; ++g) {
                if (!w.suppressed[size_t(a)][size_t(g)] && w.counts[size_t(a)][size_t(g)] < w.k) {
                    return makeError(ErrorCode::InvalidArgument,
                                     QStringLiteral("demographic window (zone '%1', start_ms %2): cell %3/%4 is shown with fewer "
                                                    "than k = %5 samples; nothing of this batch was stored")
                                         .arg(w.zone).arg(w.startMs)
                                         .arg(core::ageBandName(static_cast<core::AgeBand>(a)), core::genderName(g))
                                         .arg(w.k));
                }
            }
        }
    }
    if (!db.transaction())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot begin a transaction: %1").arg(db.lastError().text()));
    core::Status status;
    {
        QSqlQuery query(db);
        if (!query.prepare(QStringLiteral("INSERT INTO demographic_windows (") + kDemographicColumns
                           + QStringLiteral(") VALUES (") + placeholders(kDemographicColumnCount) + QLatin1Char(')'))) {
            status = makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the demographic window insert: %1")
                                                        .arg(query.lastError().text()));
        }
        for (const core::DemographicWindow &w : windows) {
            if (!status)
                break;
            query.addBindValue(w.zone);
            query.addBindValue(w.startMs);
            query.addBindValue(w.endMs);
            query.addBindValue(w.k);
            for (int a = 0; a < core::AgeBandCount; ++a) {
                for (int g = 0; g < core::GenderCount; ++g) {
                    // A suppressed cell is stored as NULL: the hidden value is never written.
                    query.addBindValue(w.suppressed[size_t(a)][size_t(g)] ? QVariant(QMetaType::fromType<int>())
                                                                          : QVariant(w.counts[size_t(a)][size_t(g)]));
                }
            }
            query.addBindValue(w.modelVersion);
            query.addBindValue(w.calibrationVersion);
            if (!query.exec()) {
                const QSqlError error = query.lastError();
                status = makeError(error.nativeErrorCode().toInt() == kSqliteConstraint ? ErrorCode::InvalidArgument
                                                                                        : ErrorCode::Internal,
                                   QStringLiteral("cannot store demographic window (zone '%1', start_ms %2): %3; "
                                                  "none of the %4 windows of this batch were stored")
                                       .arg(w.zone).arg(w.startMs).arg(error.databaseText()).arg(windows.size()));
            }
        }
    }
    if (status && !db.commit())
        status = makeError(ErrorCode::Internal, QStringLiteral("cannot commit %1 demographic windows: %2")
                                                    .arg(windows.size()).arg(db.lastError().text()));
    if (!status)
        db.rollback();
    return status;
}

core::Result<QList<core::DemographicWindow>> WindowRepository::demographicWindows(qint64 fromMs, qint64 toMs,
                                                                                  const QString &zone) const
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    QSqlQuery query(db);
    query.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT ") + kDemographicColumns
        + QStringLiteral(" FROM demographic_windows WHERE start_ms >= :from AND start_ms < :to");
    if (!zone.isEmpty())
        sql += QStringLiteral(" AND zone = :zone");
    sql += QStringLiteral(" ORDER BY start_ms, zone");
    if (!query.prepare(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the demographic window query: %1").arg(query.lastError().text()));
    query.bindValue(QStringLiteral(":from"), fromMs);
    query.bindValue(QStringLiteral(":to"), toMs);
    if (!zone.isEmpty())
        query.bindValue(QStringLiteral(":zone"), zone);
    if (!query.exec())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot read demographic windows: %1").arg(query.lastError().text()));

    QList<core::DemographicWindow> result;
    while (query.next()) {
        core::DemographicWindow w;
        int c = 0;
        w.zone = query.value(c++).toString();
        w.startMs = query.value(c++).toLongLong();
        w.endMs = query.value(c++).toLongLong();
        w.k = query.value(c++).toInt();
        for (int a = 0; a < core::AgeBandCount; ++a) {
            for (int g = 0; g < core::GenderCount; ++g) {
                const QVariant cell = query.value(c++);
                w.suppressed[size_t(a)][size_t(g)] = cell.isNull();
                w.counts[size_t(a)][size_t(g)] = cell.isNull() ? 0 : cell.toInt();
            }
        }
        w.modelVersion = query.value(c++).toString();
        w.calibrationVersion = query.value(c++).toString();
        result.append(std::move(w));
    }
    if (query.lastError().isValid())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot read demographic windows: %1").arg(query.lastError().text()));
    return result;
}

core::Result<qint64> WindowRepository::demographicCount() const
{
    QSqlDatabase db = connection(m_connectionName);
    if (!db.isOpen())
        return notOpen();
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM demographic_windows")) || !query.next())
        return makeError(ErrorCode::Internal, QStringLiteral("cannot count demographic windows: %1").arg(query.lastError().text()));
    return query.value(0).toLongLong();
}

} // namespace signiq::storage
