#pragma once

#include "core/AudienceWindow.h"
#include "core/Result.h"

#include <QList>
#include <QString>

namespace signiq::storage {

class EncryptedDatabase;

// Audience windows in the encrypted store. Uses the connection of an EncryptedDatabase by
// name, so it must be used on that connection's thread and not after the database is closed.
class WindowRepository {
public:
    explicit WindowRepository(const EncryptedDatabase &database);

    // Stores all windows of one window close in ONE transaction: either all rows are stored or
    // none. A (zone, start_ms) that is already stored is an InvalidArgument error naming it.
    [[nodiscard]] core::Status insert(const QList<core::AudienceWindow> &windows);

    // Windows with fromMs <= start_ms < toMs, ordered by start_ms then zone. An empty `zone`
    // means every zone.
    [[nodiscard]] core::Result<QList<core::AudienceWindow>> windows(qint64 fromMs, qint64 toMs,
                                                                    const QString &zone = QString()) const;

    [[nodiscard]] core::Result<qint64> count() const;

private:
    QString m_connectionName;
};

} // namespace signiq::storage
