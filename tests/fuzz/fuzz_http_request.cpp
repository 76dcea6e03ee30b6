// The HTTP/1.1 front (http::RequestParser): the bytes a client sends, cut into pieces at
// fuzzer-chosen points, under small fuzzer-chosen limits.
//
// Input: [limits: 4 bytes][cut count n: 1 byte][n cut lengths: 2 bytes each][stream]
// Invariants after every feed():
//   NeedMore  buffered() <= maxHeaderBytes + the chunk just fed (nothing beyond a header is kept)
//   Complete  the body <= maxBodyBytes, header count <= maxHeaderCount, target starts with '/',
//             version 10 or 11, and buffered() did not grow beyond what was fed
//   Failed    a 4xx/5xx status and a code; nothing buffered, and every later feed() stays Failed
#include "FuzzSupport.h"

#include "http/RequestParser.h"

#include <QList>

using signiq::http::Limits;
using signiq::http::RequestParser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    signiq::fuzz::Input in(data, size);
    Limits limits;
    limits.maxHeaderBytes = 32 + int(in.below(1024));  // 32 .. 1055
    limits.maxHeaderCount = 1 + int(in.below(16));     // 1 .. 16
    limits.maxBodyBytes = qint64(in.below(1024));      // 0 .. 1023 (two bytes)

    QList<qsizetype> cuts;
    const std::size_t cutCount = in.below(16);
    for (std::size_t i = 0; i < cutCount; ++i)
        cuts.append(qsizetype(in.below(4096)));
    const QByteArray stream = in.rest();

    RequestParser parser(limits);
    qsizetype pos = 0;
    int requests = 0;
    auto check = [&](RequestParser::State state, qsizetype fed, qsizetype bufferedBefore) {
        switch (state) {
        case RequestParser::State::NeedMore:
            SIGNIQ_FUZZ_CHECK(parser.buffered() <= limits.maxHeaderBytes + fed);
            break;
        case RequestParser::State::Complete:
            SIGNIQ_FUZZ_CHECK(parser.buffered() <= bufferedBefore + fed);
            break;
        case RequestParser::State::Failed:
            SIGNIQ_FUZZ_CHECK(parser.failure().status >= 400 && parser.failure().status <= 599);
            SIGNIQ_FUZZ_CHECK(!parser.failure().code.isEmpty());
            SIGNIQ_FUZZ_CHECK(parser.buffered() == 0);
            break;
        }
    };
    // Takes every complete request out (a pipelined stream holds several); false once Failed.
    auto drain = [&](RequestParser::State state) {
        while (state == RequestParser::State::Complete) {
            const signiq::http::Request request = parser.takeRequest();
            ++requests;
            SIGNIQ_FUZZ_CHECK(request.body.size() <= limits.maxBodyBytes);
            SIGNIQ_FUZZ_CHECK(request.headers.size() <= limits.maxHeaderCount);
            SIGNIQ_FUZZ_CHECK(request.target.startsWith('/'));
            SIGNIQ_FUZZ_CHECK(!request.method.isEmpty());
            SIGNIQ_FUZZ_CHECK(request.version == 10 || request.version == 11);
            const qsizetype before = parser.buffered();
            state = parser.feed({});
            check(state, 0, before);
        }
        if (parser.wantsContinue())
            parser.continueSent();
        return state != RequestParser::State::Failed;
    };

    cuts.append(stream.size()); // the rest in one last piece
    for (const qsizetype cut : cuts) {
        const qsizetype len = std::min(cut, stream.size() - pos);
        const QByteArrayView chunk(stream.constData() + pos, len);
        pos += len;
        const qsizetype before = parser.buffered();
        const RequestParser::State state = parser.feed(chunk);
        check(state, len, before);
        if (!drain(state)) {
            // Failed is final: more bytes are not read.
            SIGNIQ_FUZZ_CHECK(parser.feed(QByteArrayView("GET / HTTP/1.1\r\n\r\n")) == RequestParser::State::Failed);
            SIGNIQ_FUZZ_CHECK(parser.buffered() == 0);
            break;
        }
        if (pos >= stream.size())
            break;
    }
    (void)requests;
    return 0;
}
