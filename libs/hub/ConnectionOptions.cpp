#include "hub/ConnectionOptions.h"

#include "crypto/SecureFile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

// libpq keyword=value pairs; values are bare words or single-quoted with \' and \\ escapes.
core::Result<QList<std::pair<QString, QString>>> splitConnInfo(const QString &text)
{
    QList<std::pair<QString, QString>> pairs;
    qsizetype i = 0;
    const qsizetype n = text.size();
    auto skipSpace = [&] {
        while (i < n && text.at(i).isSpace())
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= n)
            break;
        const qsizetype keyStart = i;
        while (i < n && text.at(i) != QLatin1Char('=') && !text.at(i).isSpace())
            ++i;
        const QString key = text.mid(keyStart, i - keyStart);
        skipSpace();
        if (i >= n || text.at(i) != QLatin1Char('='))
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("--db: expected key=value, got '%1'").arg(key));
        ++i;
        skipSpace();
        QString value;
        if (i < n && text.at(i) == QLatin1Char('\'')) {
            ++i;
            bool closed = false;
            while (i < n) {
                const QChar c = text.at(i++);
                if (c == QLatin1Char('\\') && i < n) {
                    value += text.at(i++);
                } else if (c == QLatin1Char('\'')) {
                    closed = true;
                    break;
                } else {
                    value += c;
                }
            }
            if (!closed)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("--db: unterminated quote in the value of '%1'").arg(key));
        } else {
            while (i < n && !text.at(i).isSpace())
                value += text.at(i++);
        }
        pairs.append({key, value});
    }
    return pairs;
}

} // namespace

core::Result<ConnectionOptions> ConnectionOptions::fromConnInfo(const QString &conninfo)
{
    auto pairs = splitConnInfo(conninfo);
    if (!pairs)
        return pairs.error();
    ConnectionOptions o;
    for (const auto &[key, value] : *pairs) {
        if (key == QLatin1String("host")) {
            o.host = value;
        } else if (key == QLatin1String("port")) {
            bool ok = false;
            o.port = value.toInt(&ok);
            if (!ok)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("--db: port '%1' is not a number").arg(value));
        } else if (key == QLatin1String("dbname")) {
            o.dbname = value;
        } else if (key == QLatin1String("user")) {
            o.user = value;
        } else if (key == QLatin1String("password_file")) {
            o.passwordFile = value;
        } else if (key == QLatin1String("connect_timeout")) {
            bool ok = false;
            o.connectTimeoutS = value.toInt(&ok);
            if (!ok)
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("--db: connect_timeout '%1' is not a number").arg(value));
        } else if (key == QLatin1String("sslmode")) {
            o.sslmode = value;
        } else if (key == QLatin1String("password")) {
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("--db: passwords are not accepted on the command line; use password_file=FILE, "
                                            "--password-file or $CREDENTIALS_DIRECTORY/<user>.password"));
        } else {
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("--db: unknown key '%1' (valid: host, port, dbname, user, password_file, "
                                            "connect_timeout, sslmode)")
                                 .arg(key));
        }
    }
    return o;
}

core::Status ConnectionOptions::validate() const
{
    if (port < 1 || port > 65535)
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("database port %1 is out of range (1..65535)").arg(port));
    if (dbname.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no database name (dbname)"));
    if (user.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no database user (user)"));
    if (connectTimeoutS < 1 || connectTimeoutS > 600)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("connect_timeout %1 is out of range (1..600 seconds)").arg(connectTimeoutS));
    static const QRegularExpression sslmodes(QStringLiteral("^(|disable|allow|prefer|require|verify-ca|verify-full)$"));
    if (!sslmodes.match(sslmode).hasMatch())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("unknown sslmode '%1'").arg(sslmode));
    return {};
}

core::Result<QString> ConnectionOptions::password() const
{
    QString path = passwordFile;
    if (path.isEmpty()) {
        const QString credentials = qEnvironmentVariable("CREDENTIALS_DIRECTORY");
        if (credentials.isEmpty())
            return QString();
        path = QDir(credentials).filePath(user + QStringLiteral(".password"));
        if (!QFileInfo::exists(path))
            return QString();
    }
    auto bytes = crypto::securefile::readSecret(path, 4096);
    if (!bytes)
        return makeError(bytes.error().code, QStringLiteral("database password file: %1").arg(bytes.error().message));
    QString secret = QString::fromUtf8(*bytes).trimmed();
    if (secret.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("database password file %1 is empty").arg(path));
    return secret;
}

QString ConnectionOptions::driverOptions() const
{
    QStringList options{QStringLiteral("connect_timeout=%1").arg(connectTimeoutS),
                        QStringLiteral("application_name=signiq-hub")};
    if (!sslmode.isEmpty())
        options << QStringLiteral("sslmode=%1").arg(sslmode);
    return options.join(QLatin1Char(';'));
}

QString ConnectionOptions::describe() const
{
    return QStringLiteral("host=%1 port=%2 dbname=%3 user=%4")
        .arg(host.isEmpty() ? QStringLiteral("(default socket)") : host)
        .arg(port)
        .arg(dbname, user);
}

namespace {

// A libpq conninfo value, single-quoted with \ and ' escaped.
QString connValue(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

QString ConnectionOptions::toConnInfo(const QString &applicationName) const
{
    const ConnectionOptions &o = *this;
    QStringList parts;
    if (!o.host.isEmpty())
        parts << QStringLiteral("host=") + connValue(o.host);
    parts << QStringLiteral("port=%1").arg(o.port) << QStringLiteral("dbname=") + connValue(o.dbname)
          << QStringLiteral("user=") + connValue(o.user) << QStringLiteral("connect_timeout=%1").arg(o.connectTimeoutS)
          << QStringLiteral("application_name=") + connValue(applicationName);
    if (!o.sslmode.isEmpty())
        parts << QStringLiteral("sslmode=") + connValue(o.sslmode);
    return parts.join(QLatin1Char(' '));
}

} // namespace signiq::hub
