// The backup file header (storage::DatabaseBackup::inspect): the envelope header and its AAD,
// the JSON object that says what the backup holds, read without a key from a file an operator
// points `signiq-edge backup inspect|restore` at.
//
// Input: [mode: 1 byte][...]
//   mode even  the rest is the backup file
//   mode odd   the rest is the AAD of an envelope sealed with a fixed key (an authentic
//              envelope whose associated data is hostile: what a backup-key holder could send)
// Invariants: inspect never crashes; an accepted header has the file's size and a 16-hex-digit
// key id.
#include "FuzzSupport.h"

#include "crypto/Envelope.h"
#include "storage/DatabaseBackup.h"

#include <QFile>
#include <QTemporaryDir>

using namespace signiq;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static QTemporaryDir dir;
    static const QString path = dir.filePath(QStringLiteral("backup.sqbk"));
    SIGNIQ_FUZZ_CHECK(dir.isValid());

    fuzz::Input in(data, size);
    QByteArray file;
    if (in.byte() & 1) {
        const QByteArray aad = in.take(crypto::envelope::MaxAadSize);
        auto sealed = crypto::envelope::seal(QByteArray(crypto::envelope::KeySize, '\x17'), QByteArray(32, '\0'), aad, 1024);
        SIGNIQ_FUZZ_CHECK(sealed.ok());
        file = *sealed;
    } else {
        file = in.rest();
    }
    {
        QFile out(path);
        SIGNIQ_FUZZ_CHECK(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        SIGNIQ_FUZZ_CHECK(out.write(file) == file.size());
    }
    auto info = storage::DatabaseBackup::inspect(path);
    if (info) {
        SIGNIQ_FUZZ_CHECK(info->fileBytes == file.size());
        SIGNIQ_FUZZ_CHECK(info->keyId.size() == 2 * crypto::envelope::KeyIdSize);
    } else {
        SIGNIQ_FUZZ_CHECK(!info.error().message.isEmpty());
    }
    return 0;
}
