// The wire types on their own: each codec reads back what it writes, and a malformed field is an
// error that names it (the console and the hub rely on both).
#include "protocol/Errors.h"
#include "protocol/Health.h"
#include "protocol/Keys.h"
#include "protocol/Paging.h"
#include "protocol/StrictJson.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>

using namespace signiq;
using namespace signiq::protocol;

namespace {
struct Item {
    int n = 0;
    static core::Result<Item> fromJson(const QJsonObject &o)
    {
        if (!o.value(QStringLiteral("n")).isDouble())
            return core::makeError(core::ErrorCode::Parse, QStringLiteral("n: not a number"));
        return Item{o.value(QStringLiteral("n")).toInt()};
    }
};

KeyInfo sampleKey()
{
    KeyInfo k;
    k.keyId = QStringLiteral("k1");
    k.name = QStringLiteral("Lobby BI");
    k.environment = KeyEnvironment::Test;
    k.scopes = Scope::Read | Scope::Export;
    k.tier = Tier::Pro;
    k.createdAtMs = 1'700'000'000'000;
    k.lastUsedAtMs = 1'700'000'100'000;
    k.expiresAtMs = 1'800'000'000'000;
    k.rotatedAtMs = 1'700'000'050'000;
    k.previousValidUntilMs = 1'700'000'900'000;
    return k;
}
} // namespace

class TestProtocolCodecs : public QObject {
    Q_OBJECT

private slots:
    void keyInfoRoundTrips()
    {
        const KeyInfo k = sampleKey();
        const QJsonObject json = k.toJson(1'700'000'200'000);
        QCOMPARE(json.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
        QVERIFY(!json.contains(QStringLiteral("secret")));
        auto back = KeyInfo::fromJson(json);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(*back, k);
    }

    void keyStates()
    {
        KeyInfo k = sampleKey();
        QCOMPARE(k.state(k.createdAtMs), QStringLiteral("active"));
        QCOMPARE(k.state(*k.expiresAtMs), QStringLiteral("expired"));
        k.revokedAtMs = k.createdAtMs + 1;
        QCOMPARE(k.state(k.createdAtMs + 2), QStringLiteral("revoked"));
    }

    void previousSecretOnlyWhileValid()
    {
        const KeyInfo k = sampleKey();
        const QJsonObject after = k.toJson(*k.previousValidUntilMs + 1);
        QVERIFY(after.value(QStringLiteral("previous_secret_valid_until")).isNull());
    }

    void badKeyFieldIsNamed()
    {
        QJsonObject json = sampleKey().toJson(0);
        json.insert(QStringLiteral("scopes"), QJsonArray{QStringLiteral("read"), QStringLiteral("fly")});
        auto bad = KeyInfo::fromJson(json);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QStringLiteral("scopes")), qPrintable(bad.error().message));
        json = sampleKey().toJson(0);
        json.insert(QStringLiteral("created_at"), QStringLiteral("yesterday"));
        bad = KeyInfo::fromJson(json);
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QStringLiteral("created_at")), qPrintable(bad.error().message));
    }

    void issuedKeyCarriesTheToken()
    {
        auto generated = ApiKeyFormat::generate(KeyEnvironment::Test);
        QVERIFY(generated);
        KeyInfo info = sampleKey();
        info.keyId = generated->keyId;
        const IssuedKey issued{info, generated->token};
        const QJsonObject json = issued.toJson(0);
        auto back = IssuedKey::fromJson(json);
        QVERIFY(back);
        QCOMPARE(back->token, issued.token);
        QCOMPARE(back->info, issued.info);
        QJsonObject noToken = json;
        noToken.remove(QStringLiteral("key"));
        QVERIFY(!IssuedKey::fromJson(noToken));
        QJsonObject garbled = json;
        QString typo = generated->token;
        typo.back() = typo.back() == u'x' ? u'y' : u'x';
        garbled.insert(QStringLiteral("key"), typo);
        QVERIFY(!IssuedKey::fromJson(garbled)); // the checksum catches a mistyped token
    }

    void keyRequestBody()
    {
        KeyRequest r{QStringLiteral("Door"), Scope::Read, Tier::Enterprise, KeyEnvironment::Live, 1'800'000'000'000};
        const QJsonObject json = r.toJson();
        QCOMPARE(json.value(QStringLiteral("name")).toString(), QStringLiteral("Door"));
        QCOMPARE(json.value(QStringLiteral("tier")).toString(), QStringLiteral("enterprise"));
        QCOMPARE(json.value(QStringLiteral("scopes")).toArray().size(), 1);
        QCOMPARE(parseTime(json.value(QStringLiteral("expires_at")).toString()), std::optional<qint64>(1'800'000'000'000));
    }

    void healthRoundTrips()
    {
        HealthRecord h;
        h.status = QStringLiteral("ok");
        h.version = QStringLiteral("0.1.0");
        h.uptimeS = 12.5;
        h.pipelineFps = 9.75;
        h.framesProcessed = 1234;
        h.captureToReleaseP50Ms = 3.5;
        h.captureToReleaseP99Ms = 11.25;
        h.modelVersion = QStringLiteral("yunet-2022mar");
        h.calibrationVersion = QStringLiteral("abc");
        h.storedCalibrationVersion = QStringLiteral("def");
        h.configPending = true;
        h.sync = SyncHealth{42, 1'800'000'000'000, 3, 7, 1'800'000'060'000, QStringLiteral("503 retry_later: ..."), 1'800'000'030'000};
        auto back = HealthRecord::fromJson(h.toJson());
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QCOMPARE(*back, h);

        HealthRecord idle; // no frames yet: no latency figures, not zeros
        const QJsonObject json = idle.toJson();
        const QJsonObject latency = json.value(QStringLiteral("pipeline")).toObject().value(QStringLiteral("capture_to_release_ms")).toObject();
        QVERIFY(latency.value(QStringLiteral("p99")).isNull());
        auto idleBack = HealthRecord::fromJson(json);
        QVERIFY(idleBack);
        QVERIFY(!idleBack->captureToReleaseP99Ms);
        QVERIFY(json.value(QStringLiteral("sync")).isNull());
        QVERIFY(!idleBack->sync);
        // Never synced: the times are null, not zero.
        h.sync = SyncHealth{};
        const QJsonObject fresh = h.toJson().value(QStringLiteral("sync")).toObject();
        QVERIFY(fresh.value(QStringLiteral("last_success")).isNull());
        QVERIFY(fresh.value(QStringLiteral("oldest_unsent")).isNull());
        QCOMPARE(HealthRecord::fromJson(h.toJson())->sync, h.sync);
    }

    void errorBody()
    {
        const ErrorBody e{QStringLiteral("not_found"), QStringLiteral("no key k9")};
        const QByteArray body = QJsonDocument(e.toJson()).toJson();
        QCOMPARE(ErrorBody::fromBody(body), std::optional<ErrorBody>(e));
        QVERIFY(!ErrorBody::fromBody("<html>502</html>"));
        QVERIFY(!ErrorBody::fromBody(R"({"error": "flat"})"));
    }

    void pageInfo()
    {
        PageInfo p = PageInfo::of(25, 0, 10, 10);
        QCOMPARE(p.nextOffset, std::optional<qint64>(10));
        p = PageInfo::of(25, 20, 10, 5);
        QVERIFY(!p.nextOffset);
        // An offset past the end, even near 2^63, is an empty last page, never an overflow.
        p = PageInfo::of(25, std::numeric_limits<qint64>::max() - 1, 10, 0);
        QVERIFY(!p.nextOffset);
        // Found by fuzz_query_string: a negative count (a refused limit that leaked) moved the
        // cursor backwards; it is now taken as an empty page.
        p = PageInfo::of(2561, 0, -611, -611);
        QCOMPARE(p.nextOffset, std::optional<qint64>(0));
        p = PageInfo::of(25, 5, 10, -3);
        QCOMPARE(p.nextOffset, std::optional<qint64>(5));
        QJsonObject o;
        PageInfo::of(25, 0, 10, 10).writeTo(o);
        QCOMPARE(o.value(QStringLiteral("next_offset")).toInteger(), 10);
        QCOMPARE(o.value(QStringLiteral("total")).toInteger(), 25);
    }

    void parsePageNamesTheBadItem()
    {
        QJsonObject o{{QStringLiteral("items"), QJsonArray{QJsonObject{{QStringLiteral("n"), 1}}, QJsonObject{{QStringLiteral("n"), QStringLiteral("two")}}}},
                      {QStringLiteral("next_offset"), QJsonValue::Null}};
        auto bad = parsePage<Item>(o, QStringLiteral("items"));
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.startsWith(QStringLiteral("items[1]")), qPrintable(bad.error().message));

        o.insert(QStringLiteral("items"), QJsonArray{QJsonObject{{QStringLiteral("n"), 1}}});
        o.insert(QStringLiteral("next_offset"), 7);
        auto good = parsePage<Item>(o, QStringLiteral("items"));
        QVERIFY(good);
        QCOMPARE(good->items.size(), 1);
        QCOMPARE(good->nextOffset, std::optional<qint64>(7));

        o.insert(QStringLiteral("next_offset"), -1);
        QVERIFY(!parsePage<Item>(o, QStringLiteral("items")));
    }

    void strictJsonRefusesRepeatedKeys_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("duplicate"); // empty: accepted
        QTest::newRow("plain") << QByteArray(R"({"a":1,"b":2})") << QString();
        QTest::newRow("top level") << QByteArray(R"({"scopes":["read"],"scopes":["admin"]})") << QStringLiteral("scopes");
        QTest::newRow("escaped spelling") << QByteArray("{\"scopes\":1,\"sc\\u006fpes\":2}") << QStringLiteral("scopes");
        QTest::newRow("nested") << QByteArray(R"({"zones":[{"id":"a"},{"id":"b","id":"c"}]})") << QStringLiteral("zones[1].id");
        QTest::newRow("same key in sibling objects") << QByteArray(R"({"x":{"id":1},"y":{"id":2}})") << QString();
        QTest::newRow("key-like string values") << QByteArray("{\"a\":\"a\",\"b\":[\"a\",\"a\"],\"c\":\"{\\\"a\\\":1,\\\"a\\\":2}\"}") << QString();
        QTest::newRow("quote escapes in a key") << QByteArray("{\"a\\\"b\":1,\"a\\\"b\":2}") << QStringLiteral("a\"b");
    }

    void strictJsonRefusesRepeatedKeys()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, duplicate);
        const auto found = strictjson::duplicateKey(json);
        QCOMPARE(found.value_or(QString()), duplicate);
        const auto parsed = strictjson::parseObject(json);
        QCOMPARE(parsed.ok(), duplicate.isEmpty());
        if (!parsed.ok())
            QVERIFY2(parsed.error().message.contains(duplicate), qPrintable(parsed.error().message));
    }

    void strictJsonNamesMalformedInput()
    {
        auto bad = strictjson::parseObject(R"({"a":)");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QStringLiteral("offset")), qPrintable(bad.error().message));
        QVERIFY(!strictjson::parseObject("[1,2]"));
    }

    void wholeNumbersAtTheirBoundaries()
    {
        using strictjson::wholeNumber;
        QCOMPARE(wholeNumber(QJsonValue(0), 0, 604800), std::optional<qint64>(0));
        QCOMPARE(wholeNumber(QJsonValue(604800), 0, 604800), std::optional<qint64>(604800));
        QVERIFY(!wholeNumber(QJsonValue(604801), 0, 604800));
        QVERIFY(!wholeNumber(QJsonValue(-1), 0, 604800));
        QVERIFY(!wholeNumber(QJsonValue(1.5), 0, 604800));
        QVERIFY(!wholeNumber(QJsonValue(18446744073709552.0), 0, 604800));
        QVERIFY(!wholeNumber(QJsonValue(1e300), 0, std::numeric_limits<qint64>::max()));
        QVERIFY(!wholeNumber(QJsonValue(std::nan("")), 0, 10));
        QVERIFY(!wholeNumber(QJsonValue(QStringLiteral("5")), 0, 10));
        QVERIFY(!wholeNumber(QJsonValue(QJsonValue::Null), 0, 10));
        // 2^63 is a double above qint64's maximum: refused, not wrapped.
        QVERIFY(!wholeNumber(QJsonValue(9223372036854775808.0), 0, std::numeric_limits<qint64>::max()));
        // Found by fuzz_query_string (tests/fuzz/regressions/query_string): whole numbers above
        // 2^53 are taken exactly, not rounded through double, both inserted and parsed.
        constexpr qint64 big = 9223372016854776807;
        QCOMPARE(wholeNumber(QJsonValue(big), 0, std::numeric_limits<qint64>::max()), std::optional<qint64>(big));
        const QJsonObject parsed = QJsonDocument::fromJson("{\"n\":9223372016854776807,\"m\":9223372036854775807}").object();
        QCOMPARE(wholeNumber(parsed.value(QStringLiteral("n")), 0, std::numeric_limits<qint64>::max()), std::optional<qint64>(big));
        QCOMPARE(wholeNumber(parsed.value(QStringLiteral("m")), 0, std::numeric_limits<qint64>::max()),
                 std::optional<qint64>(std::numeric_limits<qint64>::max()));
        QVERIFY(!wholeNumber(parsed.value(QStringLiteral("n")), 0, big - 1));
        QCOMPARE(wholeNumber(QJsonValue(qint64(-9007199254740993)), std::numeric_limits<qint64>::min(), 0),
                 std::optional<qint64>(-9007199254740993));
    }

    void nextOffsetAbove2To53RoundTrips()
    {
        // Found by fuzz_query_string: a page near 2^63 wrote next_offset exactly but the reader
        // rounded it through double to a different offset.
        const PageInfo page = PageInfo::of(std::numeric_limits<qint64>::max(), 9223372016854775807, 1000, 1000);
        QCOMPARE(page.nextOffset, std::optional<qint64>(9223372016854776807));
        QJsonObject o;
        page.writeTo(o);
        auto next = parseNextOffset(o);
        QVERIFY(next);
        QCOMPARE(*next, page.nextOffset);
        const QJsonObject wire = QJsonDocument::fromJson(QJsonDocument(o).toJson()).object();
        auto nextFromWire = parseNextOffset(wire);
        QVERIFY(nextFromWire);
        QCOMPARE(*nextFromWire, page.nextOffset);
    }
};

QTEST_GUILESS_MAIN(TestProtocolCodecs)
#include "TestProtocolCodecs.moc"
