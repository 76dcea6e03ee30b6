#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::console {

// A device's Ed25519 audit public key as an operator pins it in the console: the 64 hex
// characters `signiq-edge audit public-key` prints, or the file it writes with --out. Public
// information, no secret; but whoever can change the pin decides which signatures count, so a
// key is only accepted when it is a usable Ed25519 point (crypto::ed25519CheckPublicKey).

// `text`: 64 hex characters, either case, surrounding whitespace allowed. InvalidArgument with a
// message that says what is wrong (empty, how many characters, which one is not hex, not a key).
[[nodiscard]] core::Result<QByteArray> parseAuditPublicKey(const QString &text);
// The file `signiq-edge audit public-key --out FILE` writes. NotFound / Io / InvalidArgument,
// each naming the file. Files above 4 KiB are refused without reading them.
[[nodiscard]] core::Result<QByteArray> readAuditPublicKeyFile(const QString &path);
// 16 hex characters (protocol::AuditHead::keyIdOf), as exports name their signing key; empty
// for an empty key.
QString auditKeyId(const QByteArray &publicKey);

} // namespace signiq::console
