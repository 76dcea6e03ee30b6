// The query decoders of api/RequestDecoding.h: what they accept, what they refuse, and that a
// refused value never reaches the caller (found by fuzz_query_string: a refused limit of -611
// reached the page arithmetic and gave a next_offset behind the offset).
#include "api/RequestDecoding.h"

#include <QTest>
#include <QUrlQuery>

using namespace signiq;

class TestRequestDecoding : public QObject {
    Q_OBJECT

private slots:
    void limitAcceptedInRange()
    {
        int limit = -1;
        QVERIFY(!api::parseLimit(QUrlQuery(QStringLiteral("limit=250")), 100, 1000, limit));
        QCOMPARE(limit, 250);
        QVERIFY(!api::parseLimit(QUrlQuery(), 100, 1000, limit));
        QCOMPARE(limit, 100);
    }

    void limitRefusedKeepsTheDefault_data()
    {
        QTest::addColumn<QString>("query");
        QTest::newRow("negative") << QStringLiteral("limit=-611");
        QTest::newRow("zero") << QStringLiteral("limit=0");
        QTest::newRow("above max") << QStringLiteral("limit=1001");
        QTest::newRow("not a number") << QStringLiteral("limit=ten");
        QTest::newRow("overflow") << QStringLiteral("limit=99999999999999999999");
    }
    void limitRefusedKeepsTheDefault()
    {
        QFETCH(QString, query);
        int limit = 7;
        const auto bad = api::parseLimit(QUrlQuery(query), 100, 1000, limit);
        QVERIFY(bad);
        QCOMPARE(bad->status, 400);
        QCOMPARE(limit, 100);
    }

    void cursorRefusedIsZero()
    {
        qint64 offset = 5;
        QVERIFY(api::parseCursor(QUrlQuery(QStringLiteral("offset=-3")), QStringLiteral("offset"), QStringLiteral("a whole number"), offset));
        QCOMPARE(offset, 0);
        QVERIFY(!api::parseCursor(QUrlQuery(QStringLiteral("offset=42")), QStringLiteral("offset"), QStringLiteral("a whole number"), offset));
        QCOMPARE(offset, 42);
    }

    void timeRangeRefusedKeepsTheDefaults()
    {
        qint64 from = 1, to = 2;
        QVERIFY(api::parseTimeRange(QUrlQuery(QStringLiteral("from=2000&to=1000")), from, to));
        QCOMPARE(from, 0);
        QCOMPARE(to, api::kUnboundedTime);
        QVERIFY(api::parseTimeRange(QUrlQuery(QStringLiteral("from=1000&to=yesterday")), from, to));
        QCOMPARE(from, 0);
        QCOMPARE(to, api::kUnboundedTime);
        QVERIFY(!api::parseTimeRange(QUrlQuery(QStringLiteral("from=1000&to=2000")), from, to));
        QCOMPARE(from, 1000);
        QCOMPARE(to, 2000);
    }
};

QTEST_GUILESS_MAIN(TestRequestDecoding)
#include "TestRequestDecoding.moc"
