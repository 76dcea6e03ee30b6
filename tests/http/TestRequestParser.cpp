// The HTTP front's parser on its own: every limit is enforced while reading, malformed and
// ambiguous requests are refused with the right status, pipelining works.
#include "http/RequestParser.h"

#include <QTest>

using namespace signiq::http;

namespace {

Limits small()
{
    Limits l;
    l.maxHeaderBytes = 1024;
    l.maxHeaderCount = 8;
    l.maxBodyBytes = 100;
    return l;
}

} // namespace

class TestRequestParser : public QObject {
    Q_OBJECT
private slots:
    void parsesARequest()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("POST /v1/keys/a%20b?limit=5&x=%C3%A9 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        "Content-Length: 2\r\n\r\n{}"),
                 RequestParser::State::Complete);
        const Request r = p.takeRequest();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QStringLiteral("/v1/keys/a b"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("limit")), QStringLiteral("5"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("x"), QUrl::FullyDecoded), QStringLiteral("é"));
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.header("CONTENT-TYPE"), QByteArray("application/json"));
        QCOMPARE(r.headers.first().first, QByteArray("host"));
        QCOMPARE(r.body, QByteArray("{}"));
        QVERIFY(r.keepAlive);
        QCOMPARE(p.buffered(), 0);
    }

    void oneByteAtATime()
    {
        const QByteArray wire = "PUT /v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
        RequestParser p(small());
        for (qsizetype i = 0; i + 1 < wire.size(); ++i)
            QCOMPARE(p.feed(wire.mid(i, 1)), RequestParser::State::NeedMore);
        QCOMPARE(p.feed(wire.right(1)), RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().body, QByteArray("hello"));
    }

    void pipelinedRequests()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HT"), RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().path, QStringLiteral("/a"));
        QCOMPARE(p.feed({}), RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().path, QStringLiteral("/b"));
        QCOMPARE(p.feed({}), RequestParser::State::NeedMore);
        QVERIFY(p.inRequest());
        QCOMPARE(p.feed("TP/1.1\r\nHost: x\r\n\r\n"), RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().path, QStringLiteral("/c"));
    }

    void chunkedBody()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
                 RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().body, QByteArray("abcde"));
    }

    void headerLimitWhileReading()
    {
        // An endless header is refused once it passes the limit; the parser never holds more
        // than the limit plus what one read delivers.
        RequestParser p(small());
        QCOMPARE(p.feed("GET / HTTP/1.1\r\n"), RequestParser::State::NeedMore);
        RequestParser::State state = RequestParser::State::NeedMore;
        int fed = 0;
        while (state == RequestParser::State::NeedMore && fed < 100) {
            state = p.feed(QByteArray("X-Filler: " + QByteArray(90, 'a') + "\r\n"));
            QVERIFY(p.buffered() <= small().maxHeaderBytes + 102);
            ++fed;
        }
        QCOMPARE(state, RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 431);
        QCOMPARE(p.failure().code, QStringLiteral("header_too_large"));
        QVERIFY(fed <= 12);
        QCOMPARE(p.buffered(), 0);
        QCOMPARE(p.feed("more"), RequestParser::State::Failed); // nothing more is read
    }

    void headerLimitAcrossSmallReads()
    {
        // Found by fuzz_http_request: with a 34-byte limit, a header that arrived as 40 then 7
        // bytes was still held (47 bytes) instead of being refused.
        Limits limits;
        limits.maxHeaderBytes = 34;
        limits.maxHeaderCount = 1;
        limits.maxBodyBytes = 768;
        RequestParser p(limits);
        const RequestParser::State first = p.feed("ST /v1/zongs HTTP/1.1\r\nTransfer-Encoding");
        QVERIFY(first == RequestParser::State::Failed || p.buffered() <= limits.maxHeaderBytes + 40);
        const RequestParser::State second = p.feed(": chunk");
        QVERIFY2(second == RequestParser::State::Failed || p.buffered() <= limits.maxHeaderBytes + 7, qPrintable(QString::number(p.buffered())));
        QCOMPARE(p.feed("ed\r\n\r\n"), RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 431);
        QCOMPARE(p.failure().code, QStringLiteral("header_too_large"));
    }

    void endlessChunkExtensionRefused()
    {
        // Found by fuzz_http_request: a chunk-size line whose extension never ends was held
        // without bound (Beast waits for the whole line); it may not outgrow the header limit.
        Limits limits = small();
        RequestParser p(limits);
        QCOMPARE(p.feed("POST /v1/zones HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=\""), RequestParser::State::NeedMore);
        RequestParser::State state = RequestParser::State::NeedMore;
        int fed = 0;
        while (state == RequestParser::State::NeedMore && fed < 100) {
            state = p.feed(QByteArray(100, 'e'));
            QVERIFY(p.buffered() <= limits.maxHeaderBytes);
            ++fed;
        }
        QCOMPARE(state, RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 400);
        QVERIFY(fed <= 11);

        // The same when the header and the overlong chunk line arrive in one read.
        RequestParser q(limits);
        QCOMPARE(q.feed(QByteArray("POST /v1/zones HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=\"").append(2000, 'e')),
                 RequestParser::State::Failed);
        QCOMPARE(q.failure().status, 400);
    }

    void headerOfExactlyTheLimitAcrossReads()
    {
        // The count is exact: a header of exactly the limit passes however it is cut, one byte
        // more does not, and the blank line right after the start line counts as 2 bytes.
        const QByteArray header = "GET /abc HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int cut = 1; cut < header.size(); ++cut) {
            Limits limits = small();
            limits.maxHeaderBytes = int(header.size());
            RequestParser exact(limits);
            exact.feed(header.left(cut));
            QCOMPARE(exact.feed(header.mid(cut)), RequestParser::State::Complete);
            limits.maxHeaderBytes = int(header.size()) - 1;
            RequestParser over(limits);
            const RequestParser::State first = over.feed(header.left(cut));
            QVERIFY(first == RequestParser::State::NeedMore || first == RequestParser::State::Failed);
            QCOMPARE(over.feed(header.mid(cut)), RequestParser::State::Failed);
            QCOMPARE(over.failure().status, 431);
        }
        const QByteArray bare = "GET / HTTP/1.1\r\n\r\n";
        Limits limits = small();
        limits.maxHeaderBytes = int(bare.size());
        RequestParser p(limits);
        QCOMPARE(p.feed(bare.left(16)), RequestParser::State::NeedMore);
        QCOMPARE(p.feed(bare.mid(16)), RequestParser::State::Complete);
    }

    void headerCountLimit()
    {
        RequestParser p(small());
        QByteArray wire = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 9; ++i)
            wire += "X-" + QByteArray::number(i) + ": 1\r\n";
        QCOMPARE(p.feed(QByteArray(wire + "\r\n")), RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 431);
        QVERIFY2(p.failure().message.contains(QStringLiteral("8 header fields")), qPrintable(p.failure().message));

        RequestParser ok(small());
        QByteArray eight = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 8; ++i)
            eight += "X-" + QByteArray::number(i) + ": 1\r\n";
        QCOMPARE(ok.feed(QByteArray(eight + "\r\n")), RequestParser::State::Complete);
    }

    void declaredBodyOverLimitRefusedBeforeReadingIt()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n"), RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 413);
        QCOMPARE(p.failure().code, QStringLiteral("payload_too_large"));

        RequestParser edge(small());
        QCOMPARE(edge.feed(QByteArray("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + QByteArray(100, 'b'))),
                 RequestParser::State::Complete);
        RequestParser over(small());
        QCOMPARE(over.feed("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n"), RequestParser::State::Failed);
        QCOMPARE(over.failure().status, 413);
    }

    void chunkedBodyOverLimit()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"), RequestParser::State::NeedMore);
        RequestParser::State state = RequestParser::State::NeedMore;
        for (int i = 0; i < 10 && state == RequestParser::State::NeedMore; ++i)
            state = p.feed(QByteArray("14\r\n" + QByteArray(20, 'c') + "\r\n"));
        QCOMPARE(state, RequestParser::State::Failed);
        QCOMPARE(p.failure().status, 413);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        const QByteArray end = "Host: x\r\n\r\n";
        QTest::newRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << 400;
        QTest::newRow("lower-case version") << "GET / http/1.1\r\n" + end << 400;
        QTest::newRow("HTTP/2.0") << "GET / HTTP/2.0\r\n" + end << 505;
        QTest::newRow("HTTP/0.9") << "GET / HTTP/0.9\r\n" + end << 505;
        QTest::newRow("absolute form") << "GET http://evil/ HTTP/1.1\r\n" + end << 400;
        QTest::newRow("asterisk") << "OPTIONS * HTTP/1.1\r\n" + end << 400;
        QTest::newRow("space in target") << "GET /a b HTTP/1.1\r\n" + end << 400;
        QTest::newRow("two lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab") << 400;
        QTest::newRow("length and chunked") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400;
        QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("length overflow") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n") << 400;
        QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
        QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << 400;
        QTest::newRow("nul in value") << QByteArray("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", sizeof("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n") - 1) << 400;
        QTest::newRow("bare LF line") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 400;
        QTest::newRow("unknown expectation") << "GET / HTTP/1.1\r\nExpect: magic\r\n" + end << 417;
    }

    void refusals()
    {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        RequestParser p(small());
        const RequestParser::State state = p.feed(wire);
        QVERIFY2(state == RequestParser::State::Failed, "accepted");
        QCOMPARE(p.failure().status, status);
        QVERIFY(!p.failure().message.isEmpty());
    }

    void keepAliveRules()
    {
        struct Case {
            QByteArray wire;
            bool keep;
        };
        const QList<Case> cases{{"GET / HTTP/1.1\r\nHost: x\r\n\r\n", true},
                                {"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false},
                                {"GET / HTTP/1.0\r\n\r\n", false},
                                {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true}};
        for (const Case &c : cases) {
            RequestParser p(small());
            QCOMPARE(p.feed(c.wire), RequestParser::State::Complete);
            QCOMPARE(p.takeRequest().keepAlive, c.keep);
        }
    }

    void expectContinueIsAnsweredOnce()
    {
        RequestParser p(small());
        QCOMPARE(p.feed("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"), RequestParser::State::NeedMore);
        QVERIFY(p.headerDone());
        QVERIFY(p.wantsContinue());
        p.continueSent();
        QVERIFY(!p.wantsContinue());
        QCOMPARE(p.feed("abcd"), RequestParser::State::Complete);
        QCOMPARE(p.takeRequest().body, QByteArray("abcd"));
    }
};

QTEST_APPLESS_MAIN(TestRequestParser)
#include "TestRequestParser.moc"
