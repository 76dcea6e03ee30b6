#include "AuditKey.h"

#include "core/Credentials.h"
#include "crypto/Hash.h"
#include "crypto/Random.h"
#include "storage/KeyFile.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace signiq::edge {

using core::ErrorCode;
using core::makeError;

namespace {
const QString kAuditKeyFile = QStringLiteral("audit-key-file");
}

void addAuditKeyOption(QCommandLineParser &parser)
{
    parser.addOption({kAuditKeyFile,
                      QStringLiteral("Audit-signing key file (mode 0600; create with signiq-edge init-key FILE, kept apart from the "
                                     "database key): every audit entry signs the new head of the log."),
                      QStringLiteral("FILE")});
}

core::Result<std::optional<crypto::Ed25519SigningKey>> loadAuditKey(const QCommandLineParser &parser, const QString &dbKeyFile)
{
    // The option, else the systemd credential audit.key.
    const QString path = parser.isSet(kAuditKeyFile) ? parser.value(kAuditKeyFile) : core::credentialFile(QStringLiteral("audit.key"));
    if (path.isEmpty())
        return std::optional<crypto::Ed25519SigningKey>();
    if (!dbKeyFile.isEmpty() && QFileInfo(path).canonicalFilePath() == QFileInfo(dbKeyFile).canonicalFilePath()
        && QFileInfo::exists(path))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("--audit-key-file must not be the database key file: whoever holds the database key could "
                                        "then sign a rewritten audit log (create one with: signiq-edge init-key FILE)"));
    auto seed = storage::KeyFile::load(path);
    if (!seed)
        return makeError(seed.error().code, QStringLiteral("audit %1").arg(seed.error().message));
    if (!dbKeyFile.isEmpty() && QFileInfo::exists(dbKeyFile)) {
        auto dbKey = storage::KeyFile::load(dbKeyFile);
        const bool same = dbKey && crypto::constantTimeEquals(*dbKey, *seed);
        if (dbKey)
            crypto::secureZero(*dbKey);
        if (same) {
            crypto::secureZero(*seed);
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("the audit key in %1 is the database key: use a key of its own "
                                            "(signiq-edge init-key FILE)").arg(path));
        }
    }
    auto key = crypto::Ed25519SigningKey::fromSeed(*seed);
    crypto::secureZero(*seed);
    if (!key)
        return key.error();
    return std::optional<crypto::Ed25519SigningKey>(*key);
}

} // namespace signiq::edge
