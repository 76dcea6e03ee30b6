#pragma once

// The QSqlQuery insert loop shared by the SQLCipher benchmark (QSQLCIPHER driver) and the plain
// Qt baseline (Qt's QSQLITE driver in a separate process): the same application code on both.
#include "BenchRows.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <cstdio>

namespace signiq::bench {

// Inserts `rows` metric rows with one prepared statement in one transaction. Returns rows/s or -1.
inline double insertRowsQt(QSqlDatabase connection, int rows, const char *label)
{
    QSqlQuery query(connection);
    if (!query.prepare(QString::fromLatin1(metricInsertSql()))) {
        std::fprintf(stderr, "%s: prepare: %s\n", label, qPrintable(query.lastError().text()));
        return -1;
    }
    const QString model = QStringLiteral("person-detector@3f2a9c01");
    QElapsedTimer timer;
    timer.start();
    if (!connection.transaction())
        return -1;
    for (int i = 0; i < rows; ++i) {
        const MetricRow r = metricRow(i);
        query.addBindValue(QString::fromStdString(r.zone));
        query.addBindValue(qint64(r.startMs));
        query.addBindValue(qint64(r.endMs));
        for (int c = 0; c < 3; ++c)
            query.addBindValue(r.counts[c]);
        query.addBindValue(r.meanOccupancy);
        for (int c = 3; c < 9; ++c)
            query.addBindValue(r.counts[c]);
        query.addBindValue(r.meanDwellS);
        query.addBindValue(r.counts[9]);
        query.addBindValue(r.counts[10]);
        query.addBindValue(QString::fromStdString(r.transitionsJson));
        query.addBindValue(r.confidence);
        query.addBindValue(r.counts[11]);
        query.addBindValue(model);
        if (!query.exec()) {
            std::fprintf(stderr, "%s: insert: %s\n", label, qPrintable(query.lastError().text()));
            connection.rollback();
            return -1;
        }
        if ((i + 1) % 25000 == 0)
            std::fprintf(stderr, "    %s: %d/%d rows\n", label, i + 1, rows);
    }
    if (!connection.commit())
        return -1;
    return rows / (double(timer.nsecsElapsed()) / 1e9);
}

} // namespace signiq::bench
