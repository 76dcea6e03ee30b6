#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QList>
#include <QString>

namespace signiq::storage {

class EncryptedDatabase;

// Audience and demographic windows in the encrypted store. Uses the connection of an EncryptedDatabase by
// name, so it must be used on that connection's thread and not after the database is closed.
class WindowRepository {
public:
    explicit WindowRepository(const EncryptedDatabase &database);

    // Stores all windows of one window close in ONE transaction: either all rows are stored or
    // none. A (zone, start_ms) that is already stored is an InvalidArgument error naming it.
    [[nodiscard]] core::Status insert(const QList<core::AudienceWindow> &windows);

    // Windows with fromMs <= start_ms < toMs, ordered by start_ms then zone. An empty `zone`
    // means every zone.
    // With limit >= 0 only that page (LIMIT/OFFSET in SQL, for the API's pagination).
    [[nodiscard]] core::Result<QList<core::AudienceWindow>> windows(qint64 fromMs, qint64 toMs,
                                                                    const QString &zone = QString(), qint64 limit = -1,
                                                                    qint64 offset = 0) const;

    [[nodiscard]] core::Result<qint64> count() const;
    // How many windows windows(fromMs, toMs, zone) would return.
    [[nodiscard]] core::Result<qint64> count(qint64 fromMs, qint64 toMs, const QString &zone = QString()) const;

    // Demographic windows, one transaction per batch like insert(). Suppressed cells are stored
    // as NULL (the count is never written); a cell shown with fewer than k samples is refused
    // (InvalidArgument) before anything is written, and the table's CHECKs refuse it too.
    [[nodiscard]] core::Status insertDemographics(const QList<core::DemographicWindow> &windows);
    // fromMs <= start_ms < toMs, ordered by start_ms then zone; empty `zone` = every zone.
    // A NULL cell reads back as suppressed with count 0.
    [[nodiscard]] core::Result<QList<core::DemographicWindow>> demographicWindows(qint64 fromMs, qint64 toMs,
                                                                                  const QString &zone = QString()) const;
    [[nodiscard]] core::Result<qint64> demographicCount() const;

private:
    QString m_connectionName;
};

} // namespace signiq::storage
