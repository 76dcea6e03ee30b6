#pragma once

#include "core/Clock.h"
#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace signiq::storage {

class EncryptedDatabase;

struct StoredZoneConfig {
    QByteArray json;  // canonical JSON, as saved
    QString version;  // core::ZoneConfig::version() of that JSON
    qint64 importedAtMs = 0;
    bool operator==(const StoredZoneConfig &) const = default;
};

// Zone configurations, kept in the encrypted database (never in plaintext files). Every
// imported version is kept; exactly one is current.
class ConfigRepository {
public:
    ConfigRepository(const EncryptedDatabase &database, const core::Clock &clock);

    // Stores `canonicalJson` under `version` (if not yet stored) and makes it the current
    // configuration, in one transaction. Saving a version again with different JSON is an
    // InvalidArgument error.
    [[nodiscard]] core::Status saveZoneConfig(const QByteArray &canonicalJson, const QString &version);

    // The current configuration, or std::nullopt if none was ever saved.
    [[nodiscard]] core::Result<std::optional<StoredZoneConfig>> currentZoneConfig() const;

private:
    QString m_connectionName;
    const core::Clock &m_clock;
};

} // namespace signiq::storage
