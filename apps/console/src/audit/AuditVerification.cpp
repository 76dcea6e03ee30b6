#include "audit/AuditVerification.h"

#include <QFile>
#include <QFileInfo>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

core::Result<AuditVerification> verifyAuditExport(const QByteArray &data)
{
    auto parsed = protocol::AuditChain::parseExport(data);
    if (!parsed)
        return parsed.error();
    AuditVerification result;
    result.entries = std::move(parsed).value();
    if (result.entries.isEmpty())
        return makeError(ErrorCode::Parse, QStringLiteral("the file contains no audit entries"));
    const protocol::AuditEntry &first = result.entries.constFirst();
    result.startsAtGenesis = first.seq == 1 && first.prevHash == protocol::AuditChain::genesisHash();
    const QString expectedFirst = result.startsAtGenesis || first.seq == 1 ? protocol::AuditChain::genesisHash() : first.prevHash;
    result.chainBreak = protocol::AuditChain::verify(result.entries, expectedFirst);
    return result;
}

core::Result<AuditVerification> verifyAuditExportFile(const QString &path)
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
    auto result = verifyAuditExport(data);
    if (!result)
        return makeError(result.error().code, QStringLiteral("%1: %2").arg(path, result.error().message));
    return result;
}

} // namespace signiq::console
