#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace signiq::crypto {
class Ed25519SigningKey;
}

namespace signiq::protocol {

// The signed head of an audit chain: "the log holds `count` entries and entry `seq` has hash
// `hash`". The device signs a new head with its audit key (Ed25519, a key file apart from the
// database key) at every append; the same object is the trailer of an export and the content
// of a checkpoint file. Because `hash` commits to every earlier entry, a valid signature over
// a head proves the whole prefix 1..seq — which whoever holds only the database key cannot
// forge (docs/security.md, "Audit log").
struct AuditHead {
    static constexpr int Version = 1;
    static QString formatName() { return QStringLiteral("signiq-audit-head"); }
    // The first field of the CSV trailer row.
    static QString csvMarker() { return QStringLiteral("#signiq-audit-head"); }

    qint64 seq = 0;   // the newest entry (0: empty log)
    qint64 count = 0; // entries 1..seq, so count == seq for an intact log
    QString hash;     // hex SHA-256 of entry `seq` (the genesis hash for an empty log)
    QString keyId;    // keyIdOf(public key); empty: unsigned (written without an audit key)
    QByteArray signature; // 64 bytes Ed25519 over statement(); empty: unsigned

    bool isSigned() const { return !signature.isEmpty(); }
    // The signed bytes: compact JSON with sorted keys of format, version, seq, count, hash, key_id.
    QByteArray statement() const;
    // 16 hex characters: SHA-256(public key)[0..8). Names a key without being it.
    static QString keyIdOf(const QByteArray &publicKey);

    // Sets keyId and signature.
    [[nodiscard]] core::Status sign(const crypto::Ed25519SigningKey &key);
    // Corrupt: unsigned, signed by another key (both ids named), or the signature does not
    // match (the head or what it covers was changed by someone without the audit key).
    [[nodiscard]] core::Status verify(const QByteArray &publicKey) const;

    // {"format":"signiq-audit-head","version":1,"seq","count","hash","key_id","signature" (base64, "" unsigned)}
    QJsonObject toJson() const;
    static bool isHeadObject(const QJsonObject &object);
    // Parse errors name the field.
    static core::Result<AuditHead> fromJson(const QJsonObject &object);
    // The CSV trailer row (9 fields, like an entry row): marker, version, seq, count, hash,
    // key_id, signature, "", "".
    QStringList toCsvFields() const;
    static core::Result<AuditHead> fromCsvFields(const QStringList &fields);

    // A checkpoint file: the head as one JSON line.
    QByteArray toCheckpointFile() const;
    static core::Result<AuditHead> fromCheckpointFile(const QByteArray &data);

    bool operator==(const AuditHead &) const = default;
};

// Reads a public key given as 64 hex characters, either directly or as the content of a file
// (trailing whitespace allowed). InvalidArgument/NotFound name the problem.
[[nodiscard]] core::Result<QByteArray> readAuditPublicKey(const QString &hexOrPath);

} // namespace signiq::protocol
