#include "audit/AuditVerification.h"

#include <QFile>
#include <QFileInfo>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

core::Result<AuditVerification> verifyAuditExport(const QByteArray &data, const QByteArray &auditPublicKey)
{
    auto parsed = protocol::AuditChain::parseExportWithHead(data);
    if (!parsed)
        return parsed.error();
    AuditVerification result;
    result.entries = parsed->entries;
    result.head = parsed->head;
    if (result.entries.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("the file contains no audit entries"));
    const protocol::AuditEntry &first = result.entries.constFirst();
    result.startsAtGenesis = first.seq == 1 && first.prevHash == protocol::AuditChain::genesisHash();
    protocol::AuditVerifyOptions options;
    options.publicKey = auditPublicKey;
    options.acceptSlice = true; // only applies to files without a head (the console's own time slices)
    const protocol::AuditVerification check = protocol::verifyAuditEntries(parsed->entries, parsed->head, options, false);
    result.chainBreak = check.chainBreak;
    result.trust = check.trust;
    result.warnings = check.warnings;
    return result;
}

core::Result<AuditVerification> verifyAuditExportFile(const QString &path, const QByteArray &auditPublicKey)
{
    constexpr qint64 MaxSize = 512LL * 1024 * 1024;
    const QFileInfo info(path);
    if (!info.exists())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1: no such file").arg(path));
    if (info.size() > MaxSize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1: larger than 512 MiB").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(file.error() == QFileDevice::PermissionsError ? ErrorCode::PermissionDenied : ErrorCode::Io,
                         QStringLiteral("%1: %2").arg(path, file.errorString()));
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(ErrorCode::Io, QStringLiteral("%1: %2").arg(path, file.errorString()));
    auto result = verifyAuditExport(data, auditPublicKey);
    if (!result)
        return makeError(result.error().code, QStringLiteral("%1: %2").arg(path, result.error().message));
    return result;
}

} // namespace signiq::console
