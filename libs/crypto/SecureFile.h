#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::crypto {

// Files that hold secrets (private keys, tokens, backups) and the files next to them.
namespace securefile {

enum class Replace { Never, Atomically };

// Reads a secret file: refused with PermissionDenied when group or others have any access
// (the mode is checked on the open descriptor, so there is no check-then-open race), NotFound
// when missing, InvalidArgument when not a regular file or larger than `maxSize`.
[[nodiscard]] core::Result<QByteArray> readSecret(const QString &path, qint64 maxSize = 1024 * 1024);

// Writes `data` to `path` with `mode` (0600 for secrets, 0644 for certificates), crash-safely:
// a temporary file in the same directory (O_EXCL, mode set with fchmod regardless of umask),
// fsync, then rename over `path` (Replace::Atomically) or link-if-absent (Replace::Never, an
// existing file is an InvalidArgument error and is left untouched), then fsync of the directory.
// At every instant `path` is either absent/old or complete and new.
[[nodiscard]] core::Status writeFile(const QString &path, const QByteArray &data, int mode, Replace replace);

inline core::Status writeSecret(const QString &path, const QByteArray &data, Replace replace = Replace::Never)
{
    return writeFile(path, data, 0600, replace);
}

// rename(2) that refuses to replace an existing `to` (renameat2 RENAME_NOREPLACE), then fsyncs
// the directory of `to`. InvalidArgument when `to` exists.
[[nodiscard]] core::Status renameNoReplace(const QString &from, const QString &to);

// fsync of the directory containing `path` (makes a rename/creation durable).
[[nodiscard]] core::Status syncDirectoryOf(const QString &path);

// The permission bits of `path` (e.g. 0600), or -1 when it cannot be stat'ed.
int mode(const QString &path);

} // namespace securefile
} // namespace signiq::crypto
