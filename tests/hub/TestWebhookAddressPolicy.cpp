// Outbound safety of webhook deliveries: which addresses and URLs the dispatcher refuses.
#include "hub/WebhookAddressPolicy.h"

#include <QTest>

using namespace signiq;
using hub::WebhookAddressPolicy;

class TestWebhookAddressPolicy : public QObject {
    Q_OBJECT
private slots:
    void addresses_data();
    void addresses();
    void allowedRangesOpenOnlyThemselves();
    void badRangesAreRefused();
    void urls_data();
    void urls();
    void namesAreResolvedAndEveryAddressChecked();
};

void TestWebhookAddressPolicy::addresses_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("production");
    QTest::addColumn<bool>("development");
    QTest::newRow("public v4") << "93.184.216.34" << true << true;
    QTest::newRow("public v6") << "2606:2800:220:1:248:1893:25c8:1946" << true << true;
    QTest::newRow("loopback") << "127.0.0.1" << false << true;
    QTest::newRow("loopback 127/8") << "127.8.9.10" << false << true;
    QTest::newRow("loopback v6") << "::1" << false << true;
    QTest::newRow("unspecified") << "0.0.0.0" << false << false;
    QTest::newRow("unspecified v6") << "::" << false << false;
    QTest::newRow("10/8") << "10.1.2.3" << false << false;
    QTest::newRow("172.16/12") << "172.31.255.255" << false << false;
    QTest::newRow("172.32 is public") << "172.32.0.1" << true << true;
    QTest::newRow("192.168/16") << "192.168.1.1" << false << false;
    QTest::newRow("CGNAT") << "100.64.0.1" << false << false;
    QTest::newRow("CGNAT end") << "100.127.255.254" << false << false;
    QTest::newRow("link-local (cloud metadata)") << "169.254.169.254" << false << false;
    QTest::newRow("multicast") << "239.1.2.3" << false << false;
    QTest::newRow("broadcast") << "255.255.255.255" << false << false;
    QTest::newRow("documentation") << "192.0.2.10" << false << false;
    QTest::newRow("benchmarking") << "198.18.0.1" << false << false;
    QTest::newRow("ULA") << "fd12:3456:789a::1" << false << false;
    QTest::newRow("v6 link-local") << "fe80::1" << false << false;
    QTest::newRow("v6 site-local") << "fec0::1" << false << false;
    QTest::newRow("v6 multicast") << "ff02::1" << false << false;
    QTest::newRow("v4-mapped loopback") << "::ffff:127.0.0.1" << false << false;
    QTest::newRow("v4-mapped public") << "::ffff:93.184.216.34" << false << false;
    QTest::newRow("NAT64") << "64:ff9b::a00:1" << false << false;
    QTest::newRow("6to4") << "2002:a00:1::1" << false << false;
    QTest::newRow("Teredo") << "2001:0:4136:e378:8000:63bf:3fff:fdd2" << false << false;
    QTest::newRow("v6 documentation") << "2001:db8::1" << false << false;
}

void TestWebhookAddressPolicy::addresses()
{
    QFETCH(QString, address);
    QFETCH(bool, production);
    QFETCH(bool, development);
    const QHostAddress a(address);
    QVERIFY(!a.isNull());
    const auto prod = WebhookAddressPolicy(WebhookAddressPolicy::Mode::Production).checkAddress(a);
    QCOMPARE(prod.ok(), production);
    if (!prod.ok()) {
        QCOMPARE(prod.error().code, core::ErrorCode::PermissionDenied);
        QVERIFY2(prod.error().message.contains(a.toString()), qPrintable(prod.error().message));
    }
    QCOMPARE(WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development).checkAddress(a).ok(), development);
}

void TestWebhookAddressPolicy::allowedRangesOpenOnlyThemselves()
{
    auto ranges = WebhookAddressPolicy::parseRanges({QStringLiteral("10.1.2.0/24"), QStringLiteral(" fd00:1::/64 ")});
    QVERIFY(ranges);
    const WebhookAddressPolicy policy(WebhookAddressPolicy::Mode::Production, *ranges);
    QVERIFY(policy.checkAddress(QHostAddress(QStringLiteral("10.1.2.77"))));
    QVERIFY(!policy.checkAddress(QHostAddress(QStringLiteral("10.1.3.77"))));
    QVERIFY(policy.checkAddress(QHostAddress(QStringLiteral("fd00:1::5"))));
    QVERIFY(!policy.checkAddress(QHostAddress(QStringLiteral("fd00:2::5"))));
    QVERIFY(!policy.checkAddress(QHostAddress(QStringLiteral("127.0.0.1"))));
}

void TestWebhookAddressPolicy::badRangesAreRefused()
{
    auto bad = WebhookAddressPolicy::parseRanges({QStringLiteral("10.0.0.0/8"), QStringLiteral("ten/8")});
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY(bad.error().message.contains(QLatin1String("ten/8")));
    QVERIFY(!WebhookAddressPolicy::parseRanges({QStringLiteral("10.0.0.0/33")}));
}

void TestWebhookAddressPolicy::urls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("production");
    QTest::addColumn<bool>("development");
    QTest::newRow("https") << "https://hooks.example.com/signiq" << true << true;
    QTest::newRow("http") << "http://127.0.0.1:8080/hook" << false << true;
    QTest::newRow("ftp") << "ftp://hooks.example.com/" << false << false;
    QTest::newRow("user info") << "https://user:pw@hooks.example.com/" << false << false;
    QTest::newRow("no host") << "https:///path" << false << false;
}

void TestWebhookAddressPolicy::urls()
{
    QFETCH(QString, url);
    QFETCH(bool, production);
    QFETCH(bool, development);
    QCOMPARE(WebhookAddressPolicy(WebhookAddressPolicy::Mode::Production).checkUrl(QUrl(url)).ok(), production);
    QCOMPARE(WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development).checkUrl(QUrl(url)).ok(), development);
}

void TestWebhookAddressPolicy::namesAreResolvedAndEveryAddressChecked()
{
    // localhost resolves (from /etc/hosts, no network) to loopback only.
    const WebhookAddressPolicy production(WebhookAddressPolicy::Mode::Production);
    auto refused = production.resolve(QStringLiteral("localhost"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, core::ErrorCode::PermissionDenied);
    QVERIFY2(refused.error().message.contains(QLatin1String("loopback")), qPrintable(refused.error().message));
    auto literal = production.resolve(QStringLiteral("169.254.169.254"));
    QVERIFY(!literal);
    QCOMPARE(literal.error().code, core::ErrorCode::PermissionDenied);
    auto dev = WebhookAddressPolicy(WebhookAddressPolicy::Mode::Development).resolve(QStringLiteral("localhost"));
    QVERIFY2(dev, qPrintable(dev.ok() ? QString() : dev.error().toString()));
    QVERIFY(!dev->isEmpty());
    for (const QHostAddress &a : *dev)
        QVERIFY(a.isLoopback());
    auto unknown = production.resolve(QStringLiteral("no-such-host.invalid"));
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().code, core::ErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestWebhookAddressPolicy)
#include "TestWebhookAddressPolicy.moc"
