// Query strings of the list endpoints (/v1/windows, /v1/demographics, /v1/audit): the
// decoders in api/RequestDecoding.h with the endpoints' parameter sets, then the page
// arithmetic (protocol::PageInfo) with the decoded offset.
//
// Input: [total: 8 bytes][returned: 2 bytes][query string]
// Invariants: the decoded values are in their documented ranges (from <= to, limit 1..max,
// cursor >= 0) whether or not the decoder refused (a refused value never escapes); a
// refusal is a 400 JSON error; next_offset, when present, lies in
// (offset, total) and parses back with parseNextOffset.
#include "FuzzSupport.h"

#include "api/RequestDecoding.h"
#include "protocol/Errors.h"
#include "protocol/Paging.h"

#include <QUrl>
#include <QUrlQuery>

using namespace signiq;

namespace {

bool refused(const std::optional<api::ApiResponse> &bad)
{
    if (!bad)
        return false;
    SIGNIQ_FUZZ_CHECK(bad->status == 400);
    SIGNIQ_FUZZ_CHECK(protocol::ErrorBody::fromBody(bad->body).has_value());
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    qint64 total = 0;
    for (int i = 0; i < 8; ++i)
        total = qint64((quint64(total) << 8) | in.byte());
    if (total < 0)
        total = -(total + 1);
    const qint64 returned = qint64(in.below(65536));
    const QByteArray encoded = in.rest();

    // As the HTTP front builds it: QUrlQuery of the target's query.
    const QUrl url = QUrl::fromEncoded("/v1/windows?" + encoded, QUrl::StrictMode);
    const QUrlQuery query(url);
    const QUrlQuery raw(QString::fromUtf8(encoded));

    for (const QUrlQuery &q : {query, raw}) {
        const QSet<QString> windowsParams{QStringLiteral("zone"), QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"),
                                          QStringLiteral("offset")};
        const QSet<QString> auditParams{QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("limit"), QStringLiteral("after")};
        (void)refused(api::checkQuery(q, windowsParams));
        (void)refused(api::checkQuery(q, auditParams));

        qint64 from = 0, to = 0;
        (void)refused(api::parseTimeRange(q, from, to));
        SIGNIQ_FUZZ_CHECK(from <= to);
        int limit = 0;
        const bool limitRefused = refused(api::parseLimit(q, 100, 1000, limit));
        // Refused or not, what comes back is a limit the endpoints can use (the default on a refusal).
        SIGNIQ_FUZZ_CHECK(limit >= 1 && limit <= 1000);
        SIGNIQ_FUZZ_CHECK(!limitRefused || limit == 100);
        qint64 after = 0;
        (void)refused(api::parseCursor(q, QStringLiteral("after"), QStringLiteral("a sequence number"), after));
        SIGNIQ_FUZZ_CHECK(after >= 0);
        qint64 offset = 0;
        if (refused(api::parseCursor(q, QStringLiteral("offset"), QStringLiteral("a whole number"), offset)))
            continue;
        SIGNIQ_FUZZ_CHECK(offset >= 0);

        const qint64 got = std::min<qint64>(returned, limit);
        const auto page = protocol::PageInfo::of(total, offset, limit, got);
        // Even a count the endpoints never pass (negative) cannot move the cursor backwards.
        const auto odd = protocol::PageInfo::of(total, offset, limit, -got - 1);
        SIGNIQ_FUZZ_CHECK(!odd.nextOffset || *odd.nextOffset >= offset);
        if (page.nextOffset) {
            SIGNIQ_FUZZ_CHECK(*page.nextOffset > offset || got == 0);
            SIGNIQ_FUZZ_CHECK(*page.nextOffset >= 0 && *page.nextOffset < total);
        }
        QJsonObject body;
        page.writeTo(body);
        auto next = protocol::parseNextOffset(body);
        SIGNIQ_FUZZ_CHECK(next.ok());
        SIGNIQ_FUZZ_CHECK(*next == page.nextOffset);
    }
    return 0;
}
