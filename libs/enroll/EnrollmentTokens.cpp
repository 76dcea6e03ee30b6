#include "enroll/EnrollmentTokens.h"

#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "crypto/SecureFile.h"
#include "enroll/EnrollLog.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>

#include <memory>

namespace signiq::enroll {

using core::ErrorCode;
using core::makeError;

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toList(const QJsonValue &v)
{
    QStringList out;
    for (const auto &e : v.toArray())
        out << e.toString();
    return out;
}

std::unique_ptr<QLockFile> lockStore(const QString &path)
{
    if (path.isEmpty())
        return nullptr;
    auto lock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
    lock->lock();
    return lock;
}

} // namespace

EnrollmentTokens::EnrollmentTokens(const core::Clock &clock, QString storePath) : m_clock(clock), m_storePath(std::move(storePath)) {}

core::Status EnrollmentTokens::load()
{
    if (m_storePath.isEmpty() || !QFileInfo::exists(m_storePath))
        return {};
    auto content = crypto::securefile::readSecret(m_storePath);
    if (!content)
        return content.error();
    m_entries.clear();
    const QJsonObject root = QJsonDocument::fromJson(*content).object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Entry e;
        e.secretHash = QByteArray::fromHex(o.value(QStringLiteral("sha256")).toString().toLatin1());
        e.grant.deviceName = o.value(QStringLiteral("device")).toString();
        e.grant.dnsNames = toList(o.value(QStringLiteral("dns")));
        e.grant.ipAddresses = toList(o.value(QStringLiteral("ip")));
        e.grant.expiresAtMs = o.value(QStringLiteral("expires_ms")).toInteger();
        e.used = o.value(QStringLiteral("used")).toBool();
        m_entries.insert(it.key(), e);
    }
    return {};
}

core::Status EnrollmentTokens::save() const
{
    if (m_storePath.isEmpty())
        return {};
    QJsonObject root;
    const qint64 now = m_clock.nowMs();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->grant.expiresAtMs + 24 * 3600 * 1000LL < now)
            continue; // forget tokens a day after they expired
        root.insert(it.key(), QJsonObject{{QStringLiteral("sha256"), QString::fromLatin1(it->secretHash.toHex())},
                                          {QStringLiteral("device"), it->grant.deviceName},
                                          {QStringLiteral("dns"), toArray(it->grant.dnsNames)},
                                          {QStringLiteral("ip"), toArray(it->grant.ipAddresses)},
                                          {QStringLiteral("expires_ms"), it->grant.expiresAtMs},
                                          {QStringLiteral("used"), it->used}});
    }
    return crypto::securefile::writeSecret(m_storePath, QJsonDocument(root).toJson(), crypto::securefile::Replace::Atomically);
}

core::Result<QString> EnrollmentTokens::issue(TokenGrant grant, qint64 ttlMs)
{
    if (grant.deviceName.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an enrollment token needs a device name"));
    if (ttlMs <= 0 || ttlMs > 24 * 3600 * 1000LL)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("an enrollment token lives between 1 ms and 24 hours"));
    auto id = crypto::randomBytes(8);
    auto secret = crypto::randomBytes(32);
    if (!id || !secret)
        return makeError(ErrorCode::Internal, QStringLiteral("no randomness for an enrollment token"));
    const auto lock = lockStore(m_storePath);
    if (auto ok = load(); !ok)
        return ok.error();
    grant.expiresAtMs = m_clock.nowMs() + ttlMs;
    const QString idHex = QString::fromLatin1(id->toHex());
    const QByteArray secretText = secret->toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    m_entries.insert(idHex, Entry{crypto::sha256(secretText), grant, false});
    if (auto ok = save(); !ok)
        return ok.error();
    qCInfo(lcEnroll) << "issued enrollment token" << idHex << "for" << grant.deviceName;
    return QString(QStringLiteral("sqe1.") + idHex + QLatin1Char('.') + QString::fromLatin1(secretText));
}

core::Result<TokenGrant> EnrollmentTokens::redeem(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() != 3 || parts.at(0) != QLatin1StringView("sqe1") || parts.at(1).size() != 16)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("not a Signiq enrollment token"));
    const auto lock = lockStore(m_storePath);
    if (auto ok = load(); !ok)
        return ok.error();
    auto it = m_entries.find(parts.at(1));
    if (it == m_entries.end() || !crypto::constantTimeEquals(crypto::sha256(parts.at(2).toLatin1()), it->secretHash))
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("unknown enrollment token"));
    if (it->used)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("enrollment token %1 was already used").arg(parts.at(1)));
    if (m_clock.nowMs() >= it->grant.expiresAtMs)
        return makeError(ErrorCode::PermissionDenied, QStringLiteral("enrollment token %1 has expired").arg(parts.at(1)));
    it->used = true; // burnt before anything is issued
    if (auto ok = save(); !ok)
        return ok.error();
    return it->grant;
}

} // namespace signiq::enroll
