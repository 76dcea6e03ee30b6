#pragma once

#include "http/HttpLimits.h"
#include "http/HttpMessage.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace signiq::http {

// An incremental HTTP/1.1 request parser that enforces Limits while it reads (Boost.Beast's
// basic_parser underneath; docs/security.md says why). Feed it bytes as they arrive; it keeps
// at most one request header (≤ maxHeaderBytes) plus the body so far (≤ maxBodyBytes).
//
//   feed() → NeedMore: give it more bytes later
//          → Complete: takeRequest(), then call feed({}) to parse what else was pipelined
//          → Failed:   error() says the status (400, 413, 431, 505, 417) and why; the
//                      connection must be answered and closed, nothing further is parsed.
class RequestParser {
public:
    enum class State { NeedMore, Complete, Failed };
    struct Failure {
        int status = 400;
        QString code;    // "bad_request", "payload_too_large", "header_too_large", ...
        QString message;
    };

    explicit RequestParser(const Limits &limits);
    ~RequestParser();
    RequestParser(const RequestParser &) = delete;
    RequestParser &operator=(const RequestParser &) = delete;

    State feed(QByteArrayView bytes);
    State state() const { return m_state; }
    const Failure &failure() const { return m_failure; }

    // The header of the request being read is complete (its body may still be coming).
    bool headerDone() const;
    // The header asked for "Expect: 100-continue" and the body is still to come (answer once).
    bool wantsContinue() const;
    void continueSent();
    // Some bytes of a request (not yet complete) have been received.
    bool inRequest() const;
    // Bytes received and not yet parsed (pipelined requests, a partial header).
    qsizetype buffered() const { return m_buffer.size(); }

    // After Complete: the request, and the parser starts over on the buffered bytes.
    Request takeRequest();

private:
    struct Impl;
    State fail(int status, const QString &code, const QString &message);
    State run();
    bool headerOverLimit() const;

    Limits m_limits;
    std::unique_ptr<Impl> m_impl;
    QByteArray m_buffer;
    State m_state = State::NeedMore;
    Failure m_failure;
    bool m_continueSent = false;
    qint64 m_headerConsumed = 0; // header bytes Beast has taken for the current request
};

} // namespace signiq::http
