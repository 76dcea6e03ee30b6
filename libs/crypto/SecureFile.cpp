#include "crypto/SecureFile.h"

#include "crypto/Random.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

namespace signiq::crypto::securefile {

using core::ErrorCode;
using core::makeError;

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

QString modeText(mode_t m)
{
    return QStringLiteral("0%1").arg(m & 07777, 3, 8, QLatin1Char('0'));
}

} // namespace

core::Result<QByteArray> readSecret(const QString &path, qint64 maxSize)
{
    const QByteArray native = QFile::encodeName(path);
    Fd fd(::open(native.constData(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        const int e = errno;
        if (e == ENOENT)
            return makeError(ErrorCode::NotFound, QStringLiteral("%1 does not exist").arg(path));
        if (e == EACCES)
            return makeError(ErrorCode::PermissionDenied, QStringLiteral("cannot read %1: %2").arg(path, systemError(e)));
        return makeError(ErrorCode::Io, QStringLiteral("cannot open %1: %2").arg(path, systemError(e)));
    }
    struct stat info = {};
    if (::fstat(fd.get(), &info) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot stat %1: %2").arg(path, systemError(errno)));
    if (!S_ISREG(info.st_mode))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a regular file").arg(path));
    if (info.st_mode & (S_IRWXG | S_IRWXO))
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("%1 is accessible by group or others (mode %2); refusing to use it. "
                                        "Restrict it with: chmod 600 %1")
                             .arg(path, modeText(info.st_mode)));
    if (info.st_size > maxSize)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 has %2 bytes; at most %3 expected").arg(path).arg(qint64(info.st_size)).arg(maxSize));
    QByteArray content(qsizetype(info.st_size), Qt::Uninitialized);
    qsizetype used = 0;
    while (used < content.size()) {
        const ssize_t n = ::read(fd.get(), content.data() + used, size_t(content.size() - used));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int e = errno;
            secureZero(content);
            return makeError(ErrorCode::Io, QStringLiteral("cannot read %1: %2").arg(path, systemError(e)));
        }
        if (n == 0)
            break;
        used += n;
    }
    content.truncate(used);
    return content;
}

core::Status syncDirectoryOf(const QString &path)
{
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    Fd fd(::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        return makeError(ErrorCode::Io, QStringLiteral("cannot sync directory %1: %2").arg(QString::fromLocal8Bit(dir), systemError(errno)));
    return {};
}

core::Status renameNoReplace(const QString &from, const QString &to)
{
    const QByteArray a = QFile::encodeName(from);
    const QByteArray b = QFile::encodeName(to);
    if (::renameat2(AT_FDCWD, a.constData(), AT_FDCWD, b.constData(), RENAME_NOREPLACE) != 0) {
        const int e = errno;
        if (e == EEXIST)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 already exists; refusing to overwrite it").arg(to));
        return makeError(ErrorCode::Io, QStringLiteral("cannot rename %1 to %2: %3").arg(from, to, systemError(e)));
    }
    return syncDirectoryOf(to);
}

core::Status writeFile(const QString &path, const QByteArray &data, int mode, Replace replace)
{
    if (replace == Replace::Never && QFileInfo::exists(path))
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("%1 already exists; refusing to overwrite it").arg(path));
    auto suffix = randomBytes(6);
    if (!suffix)
        return suffix.error();
    const QString tmp = path + QStringLiteral(".tmp-") + QString::fromLatin1(suffix->toHex());
    const QByteArray nativeTmp = QFile::encodeName(tmp);
    Fd fd(::open(nativeTmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR));
    if (fd.get() < 0) {
        const int e = errno;
        return makeError(e == EACCES ? ErrorCode::PermissionDenied : (e == ENOENT ? ErrorCode::NotFound : ErrorCode::Io),
                         QStringLiteral("cannot create %1: %2").arg(tmp, systemError(e)));
    }
    const auto failed = [&](const QString &what, int e) {
        ::close(fd.release());
        ::unlink(nativeTmp.constData());
        return makeError(ErrorCode::Io, QStringLiteral("%1 %2: %3").arg(what, path, systemError(e)));
    };
    if (::fchmod(fd.get(), mode_t(mode)) != 0)
        return failed(QStringLiteral("cannot set the mode of"), errno);
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd.get(), data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failed(QStringLiteral("cannot write"), errno);
        written += n;
    }
    if (::fsync(fd.get()) != 0)
        return failed(QStringLiteral("cannot flush"), errno);
    if (::close(fd.release()) != 0) {
        const int e = errno;
        ::unlink(nativeTmp.constData());
        return makeError(ErrorCode::Io, QStringLiteral("cannot close %1: %2").arg(tmp, systemError(e)));
    }
    if (replace == Replace::Never) {
        auto renamed = renameNoReplace(tmp, path);
        if (!renamed)
            ::unlink(nativeTmp.constData());
        return renamed;
    }
    if (::rename(nativeTmp.constData(), QFile::encodeName(path).constData()) != 0) {
        const int e = errno;
        ::unlink(nativeTmp.constData());
        return makeError(ErrorCode::Io, QStringLiteral("cannot replace %1: %2").arg(path, systemError(e)));
    }
    return syncDirectoryOf(path);
}

int mode(const QString &path)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

} // namespace signiq::crypto::securefile
