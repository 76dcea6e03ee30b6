#include "client/DeviceTypes.h"

#include <QHostAddress>
#include <QRegularExpression>

namespace signiq::console {

using core::ErrorCode;
using core::makeError;

core::Result<DeviceAddress> DeviceAddress::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("the address is empty"));
    if (trimmed.contains(QStringLiteral("://")))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("'%1': give host[:port] without a scheme").arg(trimmed));

    DeviceAddress address;
    QString host = trimmed;
    QString port;
    if (trimmed.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = trimmed.indexOf(u']');
        if (close < 0)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1': missing ']'").arg(trimmed));
        host = trimmed.mid(1, close - 1);
        const QString rest = trimmed.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1': expected ':port' after ']'").arg(trimmed));
            port = rest.mid(1);
        }
    } else if (trimmed.count(u':') == 1) {
        host = trimmed.section(u':', 0, 0);
        port = trimmed.section(u':', 1);
    } else if (trimmed.count(u':') > 1) {
        if (QHostAddress(trimmed).protocol() != QAbstractSocket::IPv6Protocol)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a host name or address").arg(trimmed));
        host = trimmed; // bare IPv6
    }

    static const QRegularExpression hostName(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$"));
    const bool isIp = !QHostAddress(host).isNull();
    if (!isIp && !hostName.match(host).hasMatch())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a host name or address").arg(host));
    address.host = host;
    if (!port.isEmpty()) {
        bool ok = false;
        const uint value = port.toUInt(&ok);
        if (!ok || value == 0 || value > 65535)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not a port number (1-65535)").arg(port));
        address.port = quint16(value);
    }
    return address;
}

QString DeviceAddress::toString() const
{
    const bool ipv6 = host.contains(u':');
    const QString h = ipv6 ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1:%2").arg(h).arg(port);
}

QUrl DeviceAddress::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(host);
    url.setPort(port);
    return url;
}

} // namespace signiq::console
