#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace signiq::hub {

class Database;

struct WebhookEndpoint {
    QUuid id;
    QString url;        // https only
    QStringList events; // empty: every event
    qint64 createdAtMs = 0;
    std::optional<qint64> disabledAtMs;
    bool operator==(const WebhookEndpoint &) const = default;
};

// signiq.webhook_endpoints. The signing secret is stored only as a Signiq envelope (AES-256-GCM,
// crypto::envelope) under the hub's 32-byte secrets key, with "<org id>/<endpoint id>" as the
// associated data: an envelope copied to another row or organisation does not open.
class WebhookRepository {
public:
    WebhookRepository(Database &db, QByteArray secretsKey) : m_db(db), m_key(std::move(secretsKey)) {}

    // InvalidArgument: not an https URL, an empty secret; NotFound: unknown organisation.
    [[nodiscard]] core::Result<WebhookEndpoint> create(const QUuid &org, const QString &url, const QStringList &events,
                                                       const QByteArray &secret);
    [[nodiscard]] core::Result<QList<WebhookEndpoint>> list(const QUuid &org);
    // The decrypted secret. NotFound; WrongKey/Corrupt when the envelope does not open.
    [[nodiscard]] core::Result<QByteArray> secret(const QUuid &org, const QUuid &endpoint);

private:
    Database &m_db;
    QByteArray m_key;
};

} // namespace signiq::hub
