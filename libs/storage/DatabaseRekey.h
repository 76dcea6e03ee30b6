#pragma once

#include "core/Result.h"

#include <QString>

namespace signiq::storage {

// Rotates the database key (SQLCipher PRAGMA rekey) without data loss, such that a crash at
// any point leaves the database keyed with a key that is on disk:
//
//   1. load the current key from KEY; open the database with it (WrongKey otherwise);
//   2. take exclusive access: checkpoint the WAL and switch to rollback-journal mode (fails
//      with PermissionDenied while another connection, e.g. a running signiq-edge, has it open);
//   3. write a new random key to KEY.new (O_EXCL, 0600, fsync file and directory);
//   4. PRAGMA rekey with the key read back from KEY.new (one journalled transaction: after a
//      crash SQLite rolls it back to the old key, or it is complete with the new one);
//   5. verify the new key opens the database and the old one no longer does, switch back to WAL;
//   6. rename KEY.new over KEY (atomic) and fsync the directory.
//
// If KEY.new exists when rekey starts, a previous run was interrupted: when the database opens
// with KEY.new, the rotation had reached step 5 and is completed (step 6); when it opens with
// KEY, KEY.new is a leftover of steps 3-4 and is discarded before a new rotation.
class DatabaseRekey {
public:
    enum class Outcome { Rotated, CompletedInterruptedRotation };
    [[nodiscard]] static core::Result<Outcome> rotate(const QString &dbPath, const QString &keyFilePath);

    static QString pendingKeyPath(const QString &keyFilePath) { return keyFilePath + QStringLiteral(".new"); }
};

} // namespace signiq::storage
