#include "devices/EncryptedFileSecretStore.h"

#include "ConsoleLog.h"
#include "crypto/Random.h"
#include "storage/EncryptedDatabase.h"
#include "storage/KeyFile.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QFuture>

#include <atomic>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

EncryptedFileSecretStore::EncryptedFileSecretStore(QString databasePath, QString keyPath, QObject *parent)
    : QObject(parent), m_databasePath(std::move(databasePath)), m_keyPath(std::move(keyPath))
{
}

EncryptedFileSecretStore::~EncryptedFileSecretStore() = default;

core::Status EncryptedFileSecretStore::open()
{
    if (m_database)
        return {};
    QDir().mkpath(QFileInfo(m_databasePath).absolutePath());
    QDir().mkpath(QFileInfo(m_keyPath).absolutePath());
    if (!QFileInfo::exists(m_keyPath)) {
        const core::Status generated = storage::KeyFile::generate(m_keyPath);
        if (!generated)
            return generated;
    }
    auto key = storage::KeyFile::load(m_keyPath);
    if (!key)
        return key.error();
    static std::atomic<int> counter{0};
    const QString connection = QStringLiteral("signiq-console-secrets-%1").arg(counter.fetch_add(1));
    auto database = storage::EncryptedDatabase::open(m_databasePath, key.value(), connection,
                                                     storage::EncryptedDatabase::OpenOptions{false});
    crypto::secureZero(key.value());
    if (!database)
        return database.error();
    QSqlQuery query(database->database());
    if (!query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS console_secrets ("
                                   "name TEXT PRIMARY KEY NOT NULL, secret TEXT NOT NULL, updated_at_ms INTEGER NOT NULL)")))
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(m_databasePath, query.lastError().text()));
    m_database = std::make_unique<storage::EncryptedDatabase>(std::move(database).value());
    qCInfo(lcConsole) << "secrets kept in the encrypted file" << m_databasePath;
    return {};
}

QFuture<core::Result<QString>> EncryptedFileSecretStore::readSecret(const QString &name)
{
    if (!m_database && !QFileInfo::exists(m_databasePath)) // nothing was ever stored: do not create files
        return QtFuture::makeReadyFuture(core::Result<QString>(makeError(ErrorCode::NotFound, QStringLiteral("no secret '%1'").arg(name))));
    if (const core::Status opened = open(); !opened)
        return QtFuture::makeReadyFuture(core::Result<QString>(opened.error()));
    QSqlQuery query(m_database->database());
    query.prepare(QStringLiteral("SELECT secret FROM console_secrets WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return QtFuture::makeReadyFuture(core::Result<QString>(makeError(ErrorCode::Io, query.lastError().text())));
    if (!query.next())
        return QtFuture::makeReadyFuture(core::Result<QString>(makeError(ErrorCode::NotFound, QStringLiteral("no secret '%1'").arg(name))));
    return QtFuture::makeReadyFuture(core::Result<QString>(query.value(0).toString()));
}

QFuture<core::Status> EncryptedFileSecretStore::writeSecret(const QString &name, const QString &secret)
{
    if (const core::Status opened = open(); !opened)
        return QtFuture::makeReadyFuture(opened);
    QSqlQuery query(m_database->database());
    // INSERT OR REPLACE: SQLCipher 3.4 bundles SQLite 3.15, which predates UPSERT.
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO console_secrets (name, secret, updated_at_ms) VALUES (?, ?, ?)"));
    query.addBindValue(name);
    query.addBindValue(secret);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        return QtFuture::makeReadyFuture(core::Status(makeError(ErrorCode::Io, query.lastError().text())));
    return QtFuture::makeReadyFuture(core::Status());
}

QFuture<core::Status> EncryptedFileSecretStore::removeSecret(const QString &name)
{
    if (!m_database && !QFileInfo::exists(m_databasePath)) // nothing stored: nothing to remove, no files created
        return QtFuture::makeReadyFuture(core::Status());
    if (const core::Status opened = open(); !opened)
        return QtFuture::makeReadyFuture(opened);
    QSqlQuery query(m_database->database());
    query.prepare(QStringLiteral("DELETE FROM console_secrets WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return QtFuture::makeReadyFuture(core::Status(makeError(ErrorCode::Io, query.lastError().text())));
    return QtFuture::makeReadyFuture(core::Status());
}

QString EncryptedFileSecretStore::backendName() const
{
    return tr("encrypted file");
}

} // namespace signiq::console
