#include "http/RequestParser.h"

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/asio/buffer.hpp>

#include <QUrl>

#include <cctype>

namespace signiq::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;

namespace {

// Refusals this parser decides itself (beyond Beast's own errors).
enum class OwnError { None, TooManyHeaders, BadVersion, BadTarget, BadExpect, BadHeaderValue };

QString ownMessage(OwnError e)
{
    switch (e) {
    case OwnError::None: break;
    case OwnError::TooManyHeaders: return QStringLiteral("too many header fields");
    case OwnError::BadVersion: return QStringLiteral("HTTP version not supported (HTTP/1.0 and HTTP/1.1 only)");
    case OwnError::BadTarget: return QStringLiteral("the request target must be a path starting with '/'");
    case OwnError::BadExpect: return QStringLiteral("only 'Expect: 100-continue' is supported");
    case OwnError::BadHeaderValue: return QStringLiteral("a header value contains a control character");
    }
    return {};
}

// "METHOD /target HTTP/d.d" with a version other than 1.0/1.1: Beast reports every broken
// request line as bad_version; only a well-formed line with another version is a 505.
bool wellFormedOtherVersion(const QByteArray &buffer)
{
    const qsizetype eol = buffer.indexOf("\r\n");
    const QList<QByteArray> parts = buffer.left(eol < 0 ? 0 : eol).split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty())
        return false;
    const QByteArray &v = parts[2];
    return v.size() == 8 && v.startsWith("HTTP/") && std::isdigit(static_cast<unsigned char>(v[5])) && v[6] == '.'
        && std::isdigit(static_cast<unsigned char>(v[7]));
}

QByteArray bytes(string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace

// Beast's push parser, filling a Request as the pieces arrive.
struct RequestParser::Impl final : bhttp::basic_parser<true> {
    explicit Impl(const Limits &limits) : maxHeaders(limits.maxHeaderCount)
    {
        header_limit(std::uint32_t(limits.maxHeaderBytes));
        body_limit(std::uint64_t(limits.maxBodyBytes));
        eager(true);
    }

    const int maxHeaders;
    Request request;
    OwnError own = OwnError::None;

    // Stops Beast with an error of its own kind; run() reports `own`.
    void refuse(OwnError e, error_code &ec)
    {
        own = e;
        ec = bhttp::error::bad_field;
    }
    bool expectContinue = false;

    void on_request_impl(bhttp::verb, string_view method, string_view target, int version, error_code &ec) override
    {
        if (version != 10 && version != 11) {
            refuse(OwnError::BadVersion, ec);
            return;
        }
        if (target.empty() || target.front() != '/') {
            refuse(OwnError::BadTarget, ec);
            return;
        }
        request.method = bytes(method);
        request.target = bytes(target);
        request.version = version;
    }

    void on_response_impl(int, string_view, int, error_code &ec) override { ec = bhttp::error::bad_version; }

    void on_field_impl(bhttp::field name, string_view nameString, string_view value, error_code &ec) override
    {
        if (request.headers.size() >= maxHeaders) {
            refuse(OwnError::TooManyHeaders, ec);
            return;
        }
        for (const char c : value) {
            const auto u = static_cast<unsigned char>(c);
            if ((u < 0x20 && u != '\t') || u == 0x7f) {
                refuse(OwnError::BadHeaderValue, ec);
                return;
            }
        }
        if (name == bhttp::field::expect) {
            if (!beast::iequals(value, "100-continue")) {
                refuse(OwnError::BadExpect, ec);
                return;
            }
            expectContinue = true;
        }
        request.headers.append({bytes(nameString).toLower(), bytes(value).trimmed()});
    }

    void on_header_impl(error_code &) override {}

    void on_body_init_impl(const boost::optional<std::uint64_t> &length, error_code &) override
    {
        if (length)
            request.body.reserve(qsizetype(*length)); // ≤ maxBodyBytes: Beast checked it against body_limit
    }

    std::size_t on_body_impl(string_view body, error_code &) override
    {
        request.body.append(body.data(), qsizetype(body.size()));
        return body.size();
    }

    void on_chunk_header_impl(std::uint64_t, string_view, error_code &) override {}

    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code &) override
    {
        request.body.append(body.data(), qsizetype(body.size()));
        return body.size();
    }

    void on_finish_impl(error_code &) override {}
};

RequestParser::RequestParser(const Limits &limits) : m_limits(limits), m_impl(std::make_unique<Impl>(limits)) {}

RequestParser::~RequestParser() = default;

RequestParser::State RequestParser::fail(int status, const QString &code, const QString &message)
{
    m_state = State::Failed;
    m_failure = {status, code, message};
    m_buffer.clear();
    return m_state;
}

RequestParser::State RequestParser::feed(QByteArrayView data)
{
    if (m_state != State::NeedMore)
        return m_state; // Complete: takeRequest() first; Failed: nothing more is read
    m_buffer.append(data.data(), data.size());
    return run();
}

RequestParser::State RequestParser::run()
{
    while (!m_buffer.isEmpty()) {
        const bool inHeader = !m_impl->is_header_done();
        if (inHeader && headerOverLimit())
            return fail(431, QStringLiteral("header_too_large"),
                        QStringLiteral("the request header is larger than %1 bytes").arg(m_limits.maxHeaderBytes));
        error_code ec;
        const std::size_t used = m_impl->put(boost::asio::const_buffer(m_buffer.constData(), std::size_t(m_buffer.size())), ec);
        if (used > 0)
            m_buffer.remove(0, qsizetype(used));
        if (inHeader)
            m_headerConsumed += qint64(used);
        if (ec == bhttp::error::need_more) {
            // Beast asks for the rest of the header in one buffer; m_buffer holds it meanwhile,
            // and headerOverLimit() refuses it once the header passes maxHeaderBytes. In a
            // chunked body Beast likewise wants a whole chunk-size line (with its extensions) or
            // trailer: that too may not grow past maxHeaderBytes (fuzz_http_request).
            if (m_impl->is_header_done() && m_buffer.size() > m_limits.maxHeaderBytes)
                return fail(400, QStringLiteral("bad_request"),
                            QStringLiteral("malformed HTTP request: a chunk header or trailer is longer than %1 bytes")
                                .arg(m_limits.maxHeaderBytes));
            return m_state = State::NeedMore;
        }
        if (ec && m_impl->own != OwnError::None) {
            const OwnError own = m_impl->own;
            const QString message = ownMessage(own);
            if (own == OwnError::TooManyHeaders)
                return fail(431, QStringLiteral("header_too_large"),
                            QStringLiteral("the request has more than %1 header fields").arg(m_limits.maxHeaderCount));
            if (own == OwnError::BadVersion)
                return fail(505, QStringLiteral("http_version_not_supported"), message);
            if (own == OwnError::BadExpect)
                return fail(417, QStringLiteral("expectation_failed"), message);
            return fail(400, QStringLiteral("bad_request"), QStringLiteral("malformed HTTP request: %1").arg(message));
        }
        if (ec) {
            if (ec == bhttp::error::header_limit)
                return fail(431, QStringLiteral("header_too_large"),
                            QStringLiteral("the request header is larger than %1 bytes").arg(m_limits.maxHeaderBytes));
            if (ec == bhttp::error::bad_version && wellFormedOtherVersion(m_buffer))
                return fail(505, QStringLiteral("http_version_not_supported"), ownMessage(OwnError::BadVersion));
            if (ec == bhttp::error::body_limit)
                return fail(413, QStringLiteral("payload_too_large"),
                            QStringLiteral("the body is larger than %1 bytes").arg(m_limits.maxBodyBytes));
            return fail(400, QStringLiteral("bad_request"), QStringLiteral("malformed HTTP request: %1").arg(QString::fromStdString(ec.message())));
        }
        if (m_impl->is_done()) {
            // The path as the routes see it: percent-decoded, without the query.
            const QUrl url = QUrl::fromEncoded(m_impl->request.target, QUrl::StrictMode);
            if (!url.isValid() || !url.isRelative() || !url.host().isEmpty())
                return fail(400, QStringLiteral("bad_request"), QStringLiteral("the request target is not a valid path"));
            m_impl->request.path = url.path(QUrl::FullyDecoded);
            m_impl->request.query = QUrlQuery(url);
            m_impl->request.keepAlive = m_impl->keep_alive();
            return m_state = State::Complete;
        }
        if (used == 0)
            return m_state = State::NeedMore;
    }
    return m_state = State::NeedMore;
}

bool RequestParser::headerOverLimit() const
{
    // Beast's own header_limit is not exact once it has taken the start line in an earlier
    // read (fuzz_http_request: a 52-byte header passed a 34-byte limit), so the parser counts:
    // the start line and fields Beast took so far, plus what is buffered up to the blank line
    // (or all of it, and at least one byte more, while the blank line has not arrived).
    // After the start line, the blank line may be the first thing buffered.
    qint64 rest = 0;
    if (m_headerConsumed > 0 && m_buffer.startsWith("\r\n"))
        rest = 2;
    else if (const qsizetype end = m_buffer.indexOf("\r\n\r\n"); end >= 0)
        rest = qint64(end) + 4;
    else
        rest = qint64(m_buffer.size()) + 1;
    const qint64 header = m_headerConsumed + rest;
    return header > m_limits.maxHeaderBytes;
}

bool RequestParser::headerDone() const
{
    return m_impl->is_header_done();
}

bool RequestParser::wantsContinue() const
{
    return m_state == State::NeedMore && m_impl->is_header_done() && m_impl->expectContinue && !m_continueSent;
}

void RequestParser::continueSent()
{
    m_continueSent = true;
}

bool RequestParser::inRequest() const
{
    return !m_buffer.isEmpty() || m_impl->got_some();
}

Request RequestParser::takeRequest()
{
    Request r = std::move(m_impl->request);
    m_impl = std::make_unique<Impl>(m_limits);
    m_state = State::NeedMore;
    m_continueSent = false;
    m_headerConsumed = 0;
    return r;
}

} // namespace signiq::http
