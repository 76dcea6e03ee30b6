#pragma once

#include "core/Result.h"
#include "crypto/Signature.h"

#include <QString>

#include <optional>

class QCommandLineParser;

namespace signiq::edge {

// --audit-key-file: the audit-signing key (Ed25519 seed in a key file of its own, created with
// `signiq-edge init-key FILE`; docs/security.md "Audit log"). Never the database key.
void addAuditKeyOption(QCommandLineParser &parser);
// The key when --audit-key-file was given, std::nullopt otherwise. Refuses a key file that is
// the database key file (`dbKeyFile`, same path or same key): whoever holds the database key
// must not be able to sign the audit log.
[[nodiscard]] core::Result<std::optional<crypto::Ed25519SigningKey>> loadAuditKey(const QCommandLineParser &parser,
                                                                                 const QString &dbKeyFile);

} // namespace signiq::edge
