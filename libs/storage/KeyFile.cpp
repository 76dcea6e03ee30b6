#include "storage/KeyFile.h"

#include "crypto/Random.h"
#include "storage/StorageLog.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signiq::storage {

namespace {

using core::ErrorCode;
using core::makeError;

constexpr qint64 kMaxKeyFileSize = 4096; // anything larger is certainly not a key file

QString modeString(mode_t mode)
{
    return QStringLiteral("0%1").arg(mode & 07777, 3, 8, QLatin1Char('0'));
}

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// Closes the descriptor on every path out of a function.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

core::Result<QByteArray> parseKey(const QString &path, QByteArray &content)
{
    if (content.size() == KeyFile::KeySize)
        return QByteArray(content.constData(), content.size()); // raw binary key
    qsizetype length = content.size();
    while (length > 0 && isSpace(content.at(length - 1)))
        --length;
    if (length == 0)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("key file %1 is empty; expected 64 hex characters or exactly 32 raw bytes").arg(path));
    if (length != 2 * KeyFile::KeySize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("key file %1 has %2 bytes (%3 characters without trailing whitespace); "
                                        "expected 64 hex characters or exactly 32 raw bytes")
                             .arg(path).arg(content.size()).arg(length));
    for (qsizetype i = 0; i < length; ++i) {
        if (!isHexDigit(content.at(i)))
            return makeError(ErrorCode::Parse,
                             QStringLiteral("key file %1: the character at offset %2 is not a hex digit; "
                                            "expected 64 hex characters (0-9, a-f)")
                                 .arg(path).arg(i));
    }
    QByteArray hex(content.constData(), length);
    QByteArray key = QByteArray::fromHex(hex);
    crypto::secureZero(hex);
    return key;
}

} // namespace

core::Result<QByteArray> KeyFile::load(const QString &path)
{
    const QByteArray nativePath = QFile::encodeName(path);
    FileDescriptor fd(::open(nativePath.constData(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        const int error = errno;
        if (error == ENOENT)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("key file %1 does not exist; create one with: signiq-edge --init-key %1").arg(path));
        if (error == EACCES)
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("cannot read key file %1: %2 (run as the user that owns it)").arg(path, systemError(error)));
        return makeError(ErrorCode::Io, QStringLiteral("cannot open key file %1: %2").arg(path, systemError(error)));
    }
    struct stat info = {};
    if (::fstat(fd.get(), &info) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot stat key file %1: %2").arg(path, systemError(errno)));
    if (!S_ISREG(info.st_mode))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("key file %1 is not a regular file").arg(path));
    if (info.st_mode & (S_IRWXG | S_IRWXO))
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("key file %1 is accessible by group or others (mode %2); "
                                        "refusing to use it. Restrict it with: chmod 600 %1")
                             .arg(path, modeString(info.st_mode)));
    if (info.st_size > kMaxKeyFileSize)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("key file %1 has %2 bytes; expected 64 hex characters or exactly 32 raw bytes")
                             .arg(path).arg(qint64(info.st_size)));

    QByteArray content(kMaxKeyFileSize + 1, '\0');
    qsizetype used = 0;
    while (used < content.size()) {
        const ssize_t n = ::read(fd.get(), content.data() + used, size_t(content.size() - used));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            crypto::secureZero(content);
            return makeError(ErrorCode::Io, QStringLiteral("cannot read key file %1: %2").arg(path, systemError(error)));
        }
        if (n == 0)
            break;
        used += n;
    }
    content.truncate(used); // shrinks in place: the same buffer is wiped below
    auto key = parseKey(path, content);
    crypto::secureZero(content);
    return key;
}

core::Status KeyFile::generate(const QString &path)
{
    const QByteArray nativePath = QFile::encodeName(path);
    FileDescriptor fd(::open(nativePath.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR));
    if (fd.get() < 0) {
        const int error = errno;
        if (error == EEXIST)
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("key file %1 already exists; refusing to overwrite it "
                                            "(a database encrypted with it could never be opened again)").arg(path));
        if (error == ENOENT)
            return makeError(ErrorCode::NotFound, QStringLiteral("cannot create key file %1: the directory does not exist").arg(path));
        if (error == EACCES)
            return makeError(ErrorCode::PermissionDenied, QStringLiteral("cannot create key file %1: %2").arg(path, systemError(error)));
        return makeError(ErrorCode::Io, QStringLiteral("cannot create key file %1: %2").arg(path, systemError(error)));
    }
    const auto fail = [&](const QString &message) {
        ::close(fd.release());
        ::unlink(nativePath.constData());
        return makeError(ErrorCode::Io, message);
    };
    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0)
        return fail(QStringLiteral("cannot set mode 0600 on key file %1: %2").arg(path, systemError(errno)));

    auto key = crypto::randomBytes(KeySize);
    if (!key)
        return fail(QStringLiteral("cannot create key file %1: %2").arg(path, key.error().message));
    QByteArray text = key->toHex();
    crypto::secureZero(*key);
    text.append('\n');
    qsizetype written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd.get(), text.constData() + written, size_t(text.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = errno;
            crypto::secureZero(text);
            return fail(QStringLiteral("cannot write key file %1: %2").arg(path, systemError(error)));
        }
        written += n;
    }
    crypto::secureZero(text);
    if (::fsync(fd.get()) != 0)
        return fail(QStringLiteral("cannot flush key file %1: %2").arg(path, systemError(errno)));
    if (::close(fd.release()) != 0)
        return fail(QStringLiteral("cannot close key file %1: %2").arg(path, systemError(errno)));
    qCInfo(lcStorage) << "created key file" << path;
    return {};
}

} // namespace signiq::storage
