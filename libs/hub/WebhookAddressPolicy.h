#pragma once

#include "core/Result.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>

namespace signiq::hub {

// Where a webhook may be delivered. The dispatcher resolves the target's host at every attempt
// (a name that resolved to a public address yesterday may resolve to 127.0.0.1 today: DNS
// rebinding), checks every address, and connects only to an address it checked.
//
// Refused unless the organisation allows the range (AllowedRanges, for on-premises receivers):
// unspecified, loopback, private (RFC 1918), CGNAT (100.64/10), link-local, multicast,
// broadcast and reserved, documentation and benchmarking ranges, IPv6 ULA (fc00::/7),
// link-local, site-local, multicast, IPv4-mapped/NAT64/6to4/Teredo forms (an IPv4 address in
// disguise). Production mode accepts only https; development mode (opted in explicitly, for
// tests and local work) also accepts http and loopback.
class WebhookAddressPolicy {
public:
    enum class Mode { Production, Development };
    using Range = QPair<QHostAddress, int>;

    explicit WebhookAddressPolicy(Mode mode = Mode::Production, QList<Range> allowedRanges = {})
        : m_mode(mode), m_allowed(std::move(allowedRanges))
    {
    }

    // "10.20.0.0/16", "fd00:1::/64": InvalidArgument names the bad entry.
    [[nodiscard]] static core::Result<QList<Range>> parseRanges(const QStringList &cidrs);

    // The URL's form: scheme (https; http only in development mode), a host, no user info.
    [[nodiscard]] core::Status checkUrl(const QUrl &url) const;
    // One address: PermissionDenied with the range that refused it.
    [[nodiscard]] core::Status checkAddress(const QHostAddress &address) const;
    // Resolves `host` now (blocking; call it off any event loop that must stay responsive) and
    // returns its addresses when every one passes checkAddress. NotFound: the name does not
    // resolve; PermissionDenied: one address is refused (the message names it and why).
    [[nodiscard]] core::Result<QList<QHostAddress>> resolve(const QString &host) const;

    Mode mode() const { return m_mode; }
    const QList<Range> &allowedRanges() const { return m_allowed; }
    // This policy with `more` allowed ranges too (an organisation's, on top of the dispatcher's).
    WebhookAddressPolicy withRanges(const QList<Range> &more) const;

    // How a name becomes addresses (default: QHostInfo::fromName). A seam for tests that need
    // a name to point at loopback without a DNS server; NotFound when it does not resolve.
    using Lookup = std::function<core::Result<QList<QHostAddress>>(const QString &host)>;
    void setLookup(Lookup lookup) { m_lookup = std::move(lookup); }

private:
    Mode m_mode;
    QList<Range> m_allowed;
    Lookup m_lookup;
};

} // namespace signiq::hub
