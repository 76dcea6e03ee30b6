#include "storage/WindowRepository.h"

#include "storage/EncryptedDatabase.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace signiq::storage {

namespace {

using core::AudienceWindow;
using core::ErrorCode;
using core::makeError;

constexpr int kSqliteConstraint = 19; // SQLITE_CONSTRAINT

const QString kColumns = QStringLiteral(
    "zone, start_ms, end_ms, ots, entries, exits, mean_occupancy, peak_occupancy, "
    "dwell_0_5, dwell_5_15, dwell_15_30, dwell_30_60, dwell_60_plus, mean_dwell_s, line_in, line_out, "
    "transitions_json, confidence, quality_flags, model_version, calibration_version");
constexpr int kColumnCount = 21;

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
        QString placeholders = QStringLiteral("?");
        for (int i = 1; i < kColumnCount; ++i)
            placeholders += QStringLiteral(", ?");
        if (!query.prepare(QStringLiteral("INSERT INTO audience_windows (") + kColumns + QStringLiteral(") VALUES (")
                           + placeholders + QLatin1Char(')'))) {
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

core::Result<QList<AudienceWindow>> WindowRepository::windows(qint64 fromMs, qint64 toMs, const QString &zone) const
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
    sql += QStringLiteral(" ORDER BY start_ms, zone");
    if (!query.prepare(sql))
        return makeError(ErrorCode::Internal, QStringLiteral("cannot prepare the window query: %1").arg(query.lastError().text()));
    query.bindValue(QStringLiteral(":from"), fromMs);
    query.bindValue(QStringLiteral(":to"), toMs);
    if (!zone.isEmpty())
        query.bindValue(QStringLiteral(":zone"), zone);
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

} // namespace signiq::storage
