#include "hub/WebhookAddressPolicy.h"

#include <QHostInfo>

namespace signiq::hub {

using core::ErrorCode;
using core::makeError;

namespace {

struct Refused {
    const char *cidr;
    const char *why;
};

// IANA special-purpose registries (RFC 6890 and successors), the parts that are not the public
// internet.
const Refused kRefused[] = {
    {"0.0.0.0/8", "unspecified/this network"},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "carrier-grade NAT"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "IETF protocol assignments"},
    {"192.0.2.0/24", "documentation"},
    {"192.88.99.0/24", "6to4 relay"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved/broadcast"},
    {"::/128", "unspecified"},
    {"::1/128", "loopback"},
    {"::/96", "IPv4-compatible (deprecated)"},
    {"::ffff:0:0/96", "IPv4-mapped"},
    {"64:ff9b::/96", "NAT64"},
    {"64:ff9b:1::/48", "local NAT64"},
    {"100::/64", "discard-only"},
    {"2001::/23", "IETF protocol assignments (Teredo, ORCHID, ...)"},
    {"2001:db8::/32", "documentation"},
    {"2002::/16", "6to4"},
    {"fc00::/7", "unique local"},
    {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local (deprecated)"},
    {"ff00::/8", "multicast"},
};

} // namespace

core::Result<QList<WebhookAddressPolicy::Range>> WebhookAddressPolicy::parseRanges(const QStringList &cidrs)
{
    QList<Range> ranges;
    for (const QString &cidr : cidrs) {
        const Range range = QHostAddress::parseSubnet(cidr.trimmed());
        if (range.first.isNull() || range.second < 0)
            return makeError(ErrorCode::InvalidArgument, QStringLiteral("'%1' is not an address range such as 10.20.0.0/16").arg(cidr.left(60)));
        ranges.append(range);
    }
    return ranges;
}

core::Status WebhookAddressPolicy::checkUrl(const QUrl &url) const
{
    if (!url.isValid() || url.host().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook URL needs a scheme and a host"));
    const QString scheme = url.scheme();
    if (scheme != QLatin1String("https") && !(scheme == QLatin1String("http") && m_mode == Mode::Development))
        return makeError(ErrorCode::InvalidArgument, m_mode == Mode::Production
                                                         ? QStringLiteral("webhooks are delivered over https only")
                                                         : QStringLiteral("a webhook URL is http:// or https://"));
    if (!url.userInfo().isEmpty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("a webhook URL cannot carry a user name or password"));
    return {};
}

core::Status WebhookAddressPolicy::checkAddress(const QHostAddress &address) const
{
    if (address.isNull())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("no address"));
    QHostAddress plain = address;
    plain.setScopeId(QString());
    for (const Range &allowed : m_allowed) {
        if (plain.isInSubnet(allowed))
            return {};
    }
    // Development: the plain loopback forms only (not an IPv4-mapped one).
    const bool loopback = (plain.protocol() == QAbstractSocket::IPv4Protocol && plain.isLoopback()) || plain == QHostAddress(QHostAddress::LocalHostIPv6);
    if (m_mode == Mode::Development && loopback)
        return {};
    for (const Refused &r : kRefused) {
        const Range range = QHostAddress::parseSubnet(QLatin1String(r.cidr));
        if (plain.isInSubnet(range))
            return makeError(ErrorCode::PermissionDenied,
                             QStringLiteral("address %1 is %2 (%3), not a public address; an organisation can allow the range for "
                                            "an on-premises receiver")
                                 .arg(plain.toString(), QLatin1String(r.why), QLatin1String(r.cidr)));
    }
    return {};
}

WebhookAddressPolicy WebhookAddressPolicy::withRanges(const QList<Range> &more) const
{
    WebhookAddressPolicy out = *this;
    out.m_allowed += more;
    return out;
}

core::Result<QList<QHostAddress>> WebhookAddressPolicy::resolve(const QString &host) const
{
    QList<QHostAddress> addresses;
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        addresses.append(literal);
    } else if (m_lookup) {
        auto found = m_lookup(host);
        if (!found)
            return found.error();
        addresses = *found;
        if (addresses.isEmpty())
            return makeError(ErrorCode::NotFound, QStringLiteral("webhook host '%1' does not resolve").arg(host.left(200)));
    } else {
        const QHostInfo info = QHostInfo::fromName(host);
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
            return makeError(ErrorCode::NotFound, QStringLiteral("webhook host '%1' does not resolve: %2").arg(host.left(200), info.errorString()));
        addresses = info.addresses();
    }
    for (const QHostAddress &a : addresses) {
        if (core::Status ok = checkAddress(a); !ok)
            return makeError(ok.error().code, QStringLiteral("webhook host '%1': %2").arg(host.left(200), ok.error().message));
    }
    return addresses;
}

} // namespace signiq::hub
