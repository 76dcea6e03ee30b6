#include "protocol/AuditHead.h"

#include "crypto/Hash.h"
#include "crypto/Signature.h"

#include <QFile>
#include <QJsonDocument>

namespace signiq::protocol {

using core::ErrorCode;
using core::makeError;

namespace {

bool isHex(const QString &s, qsizetype length)
{
    if (s.size() != length)
        return false;
    for (const QChar c : s) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

core::Result<AuditHead> checked(AuditHead head)
{
    if (head.seq < 0 || head.count < 0)
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: seq and count must be whole numbers >= 0"));
    if (!isHex(head.hash, 64))
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: hash must be 64 lower-case hex characters"));
    if (head.keyId.isEmpty() != head.signature.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: key_id and signature are both set or both empty"));
    if (!head.keyId.isEmpty() && !isHex(head.keyId, 16))
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: key_id must be 16 lower-case hex characters"));
    if (!head.signature.isEmpty() && head.signature.size() != crypto::Ed25519SignatureSize)
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: signature must be 64 bytes in base64"));
    return head;
}

core::Result<qint64> wholeNumber(const QString &text, const QString &name)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < 0)
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: %1 must be a whole number >= 0").arg(name));
    return v;
}

core::Result<QByteArray> base64Field(const QString &text)
{
    if (text.isEmpty())
        return QByteArray();
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return makeError(ErrorCode::Parse, QStringLiteral("audit head: signature is not base64"));
    return *decoded;
}

} // namespace

QByteArray AuditHead::statement() const
{
    const QJsonObject o{{QStringLiteral("format"), formatName()}, {QStringLiteral("version"), Version},
                        {QStringLiteral("seq"), seq},             {QStringLiteral("count"), count},
                        {QStringLiteral("hash"), hash},           {QStringLiteral("key_id"), keyId}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString AuditHead::keyIdOf(const QByteArray &publicKey)
{
    return QString::fromLatin1(crypto::sha256(publicKey).left(8).toHex());
}

core::Status AuditHead::sign(const crypto::Ed25519SigningKey &key)
{
    keyId = keyIdOf(key.publicKey());
    auto signed_ = key.sign(statement());
    if (!signed_) {
        keyId.clear();
        return signed_.error();
    }
    signature = *signed_;
    return {};
}

core::Status AuditHead::verify(const QByteArray &publicKey) const
{
    if (!isSigned())
        return makeError(ErrorCode::Corrupt, QStringLiteral("the audit head of entry %1 is not signed").arg(seq));
    const QString expected = keyIdOf(publicKey);
    if (keyId != expected)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("the audit head of entry %1 is signed with key %2, not with the given audit key %3").arg(seq).arg(keyId, expected));
    if (auto ok = crypto::ed25519Verify(publicKey, statement(), signature); !ok)
        return makeError(ErrorCode::Corrupt,
                         QStringLiteral("the signature of the audit head (entry %1, %2 entries) does not match: the head or the entries "
                                        "it covers were changed without the audit key").arg(seq).arg(count));
    return {};
}

QJsonObject AuditHead::toJson() const
{
    QJsonObject o = QJsonDocument::fromJson(statement()).object();
    o.insert(QStringLiteral("signature"), QString::fromLatin1(signature.toBase64()));
    return o;
}

bool AuditHead::isHeadObject(const QJsonObject &object)
{
    return object.value(QStringLiteral("format")).toString() == formatName();
}

core::Result<AuditHead> AuditHead::fromJson(const QJsonObject &o)
{
    static const QStringList keys{QStringLiteral("format"), QStringLiteral("version"), QStringLiteral("seq"), QStringLiteral("count"),
                                  QStringLiteral("hash"), QStringLiteral("key_id"), QStringLiteral("signature")};
    for (const QString &key : keys) {
        if (!o.contains(key))
            return makeError(ErrorCode::Parse, QStringLiteral("audit head without '%1'").arg(key));
    }
    if (o.size() != keys.size())
        return makeError(ErrorCode::Parse, QStringLiteral("audit head with unknown fields"));
    if (!isHeadObject(o))
        return makeError(ErrorCode::Parse, QStringLiteral("not an audit head (format must be %1)").arg(formatName()));
    if (o.value(QStringLiteral("version")).toInteger(-1) != Version)
        return makeError(ErrorCode::Unsupported, QStringLiteral("audit head version %1 is not supported (this build reads version %2)")
                                                     .arg(o.value(QStringLiteral("version")).toVariant().toString()).arg(Version));
    for (const char *name : {"seq", "count"}) {
        const QJsonValue v = o.value(QLatin1String(name));
        if (!v.isDouble() || v.toDouble() != double(v.toInteger(-1)))
            return makeError(ErrorCode::Parse, QStringLiteral("audit head: %1 must be a whole number").arg(QLatin1String(name)));
    }
    for (const char *name : {"hash", "key_id", "signature"}) {
        if (!o.value(QLatin1String(name)).isString())
            return makeError(ErrorCode::Parse, QStringLiteral("audit head: %1 must be a string").arg(QLatin1String(name)));
    }
    AuditHead h;
    h.seq = o.value(QStringLiteral("seq")).toInteger(-1);
    h.count = o.value(QStringLiteral("count")).toInteger(-1);
    h.hash = o.value(QStringLiteral("hash")).toString();
    h.keyId = o.value(QStringLiteral("key_id")).toString();
    auto signature = base64Field(o.value(QStringLiteral("signature")).toString());
    if (!signature)
        return signature.error();
    h.signature = *signature;
    return checked(h);
}

QStringList AuditHead::toCsvFields() const
{
    return {csvMarker(), QString::number(Version), QString::number(seq), QString::number(count), hash, keyId,
            QString::fromLatin1(signature.toBase64()), QString(), QString()};
}

core::Result<AuditHead> AuditHead::fromCsvFields(const QStringList &f)
{
    if (f.size() != 9 || f.at(0) != csvMarker() || !f.at(7).isEmpty() || !f.at(8).isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("the CSV head row must be %1,version,seq,count,hash,key_id,signature,,").arg(csvMarker()));
    if (f.at(1) != QString::number(Version))
        return makeError(ErrorCode::Unsupported, QStringLiteral("audit head version %1 is not supported (this build reads version %2)").arg(f.at(1)).arg(Version));
    AuditHead h;
    auto seq = wholeNumber(f.at(2), QStringLiteral("seq"));
    if (!seq)
        return seq.error();
    auto count = wholeNumber(f.at(3), QStringLiteral("count"));
    if (!count)
        return count.error();
    h.seq = *seq;
    h.count = *count;
    h.hash = f.at(4);
    h.keyId = f.at(5);
    auto signature = base64Field(f.at(6));
    if (!signature)
        return signature.error();
    h.signature = *signature;
    return checked(h);
}

QByteArray AuditHead::toCheckpointFile() const
{
    return QJsonDocument(toJson()).toJson(QJsonDocument::Compact) + '\n';
}

core::Result<AuditHead> AuditHead::fromCheckpointFile(const QByteArray &data)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data.trimmed(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(ErrorCode::Parse, QStringLiteral("not an audit checkpoint (one JSON object expected: %1)").arg(error.errorString()));
    return fromJson(doc.object());
}

core::Result<QByteArray> readAuditPublicKey(const QString &hexOrPath)
{
    QByteArray text = hexOrPath.toLatin1();
    const auto isHexKey = [](const QByteArray &t) {
        if (t.size() != 64)
            return false;
        for (const char c : t) {
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                return false;
        }
        return true;
    };
    if (!isHexKey(text)) {
        QFile f(hexOrPath);
        if (!f.exists())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("audit public key: '%1' is neither 64 hex characters nor an existing file").arg(hexOrPath));
        if (!f.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(hexOrPath, f.errorString()));
        text = f.read(4096).trimmed();
        if (!isHexKey(text))
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("audit public key file %1 must hold 64 hex characters (signiq-edge audit public-key)").arg(hexOrPath));
    }
    return QByteArray::fromHex(text);
}

} // namespace signiq::protocol
