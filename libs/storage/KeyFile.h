#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

namespace signiq::storage {

// A database (or backup) key file: a random 256-bit key, stored either as 64 hex characters
// (optionally followed by a newline / whitespace) or as exactly 32 raw bytes.
// The file must not be accessible by group or others (mode 0600 or stricter).
class KeyFile {
public:
    static constexpr int KeySize = 32;

    // The 32-byte key. Errors, each naming the file:
    //   NotFound         the file does not exist (says how to create one)
    //   PermissionDenied group/others have access (shows the mode and the chmod to run),
    //                    or the file cannot be read
    //   InvalidArgument  wrong length (says how many bytes/characters were found), not a file
    //   Parse            64 characters but not all hex digits (says where)
    // Wipe the returned key with crypto::secureZero() when done.
    [[nodiscard]] static core::Result<QByteArray> load(const QString &path);

    // Creates `path` with mode 0600 (O_CREAT|O_EXCL, so never overwriting an existing file or
    // following a planted symlink) holding 64 hex characters from the CSPRNG and a newline.
    // An existing file is an InvalidArgument error.
    [[nodiscard]] static core::Status generate(const QString &path);
};

} // namespace signiq::storage
