// api::RouteTable: the API's one list of endpoints — path patterns, parameters, 404 vs 405.
#include "api/RouteTable.h"

#include <QJsonObject>
#include <QTest>

using namespace signiq::api;

namespace {

Route route(const QString &method, const QString &pattern, const QString &tag)
{
    return Route{method, pattern, {}, false,
                 [tag](const ApiRequest &r, const Caller &) { return ApiResponse::json(200, QJsonObject{{QStringLiteral("tag"), QString(tag + r.params.join(QLatin1Char(',')))}}); },
                 {}};
}

} // namespace

class TestRouteTable : public QObject {
    Q_OBJECT

private slots:
    void matchesMethodPathAndParameters()
    {
        RouteTable table;
        table.add(route(QStringLiteral("GET"), QStringLiteral("/v1/keys"), QStringLiteral("list")));
        table.add(route(QStringLiteral("POST"), QStringLiteral("/v1/keys"), QStringLiteral("create")));
        table.add(route(QStringLiteral("POST"), QStringLiteral("/v1/keys/{id}/rotate"), QStringLiteral("rotate")));
        table.add(route(QStringLiteral("DELETE"), QStringLiteral("/v1/keys/{id}"), QStringLiteral("revoke")));

        auto m = table.match(QStringLiteral("POST"), QStringLiteral("/v1/keys/abc123/rotate"));
        QVERIFY(m.route);
        QCOMPARE(m.params, QStringList{QStringLiteral("abc123")});
        QCOMPARE(m.route->handler(ApiRequest{{}, {}, m.params, {}, {}, {}}, Caller{}).body,
                 QByteArray(R"({"tag":"rotateabc123"})"));
        m = table.match(QStringLiteral("DELETE"), QStringLiteral("/v1/keys/k9"));
        QVERIFY(m.route);
        QCOMPARE(m.route->pattern, QStringLiteral("/v1/keys/{id}"));
        // Empty segments are ignored, as the edge always did.
        QVERIFY(table.match(QStringLiteral("GET"), QStringLiteral("//v1//keys/")).route);
    }

    void knownPathWithOtherMethodListsTheAllowedOnes()
    {
        RouteTable table;
        table.add(route(QStringLiteral("GET"), QStringLiteral("/v1/zones"), {}));
        table.add(route(QStringLiteral("PUT"), QStringLiteral("/v1/zones"), {}));
        const auto m = table.match(QStringLiteral("DELETE"), QStringLiteral("/v1/zones"));
        QVERIFY(!m.route);
        QCOMPARE(m.allowed, (QStringList{QStringLiteral("GET"), QStringLiteral("PUT")}));
    }

    void unknownPathMatchesNothing()
    {
        RouteTable table;
        table.add(route(QStringLiteral("DELETE"), QStringLiteral("/v1/keys/{id}"), {}));
        for (const QString &path : {QStringLiteral("/v1/keys"), QStringLiteral("/v1/keys/a/b"), QStringLiteral("/v2/keys/a"),
                                    QStringLiteral("/")}) {
            const auto m = table.match(QStringLiteral("DELETE"), path);
            QVERIFY2(!m.route && m.allowed.isEmpty(), qPrintable(path));
        }
    }
};

QTEST_GUILESS_MAIN(TestRouteTable)
#include "TestRouteTable.moc"
