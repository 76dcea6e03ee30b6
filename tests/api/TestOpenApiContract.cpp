// docs/openapi.yaml against the server's route table: every route the edge answers is in the
// file and every operation in the file is a route; every operation lists each status the
// request pipeline and the HTTP front can send for it (429, 500 and the front's 400/408/413/
// 431/505 everywhere; 401/403 unless the route is open; 415/417 with a body; 405); every
// response says what its body holds (a $ref to a shared response, or a content schema).
#include "api/EdgeApiServer.h"
#include "storage/EncryptedDatabase.h"

#include "OpenApiReader.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;
using signiq::openapitest::normalised;
using signiq::openapitest::Operation;
using signiq::openapitest::readOperations;


class TestOpenApiContract : public QObject {
    Q_OBJECT
private slots:
    void fileMatchesTheRouteTable()
    {
        QTemporaryDir dir;
        auto db = storage::EncryptedDatabase::open(dir.filePath(QStringLiteral("edge.db")), QByteArray(32, '\x11'), QStringLiteral("contract"));
        QVERIFY(db.ok());
        const core::SystemClock clock;
        ApiServerContext context;
        context.database = &*db;
        context.clock = &clock;
        EdgeApiServer server(context);

        QString serverPrefix;
        const QMap<QString, Operation> documented = readOperations(QStringLiteral(SIGNIQ_SOURCE_DIR "/docs/openapi.yaml"), serverPrefix);
        QCOMPARE(serverPrefix, QStringLiteral("/v1"));
        QVERIFY(documented.size() >= 10);

        QSet<QString> served;
        for (const Route &route : server.routes().routes()) {
            const QString op = normalised(route.method, route.pattern, serverPrefix);
            served.insert(op);
            QVERIFY2(documented.contains(op), qPrintable(op + QStringLiteral(" is served but not in docs/openapi.yaml")));
            const Operation &o = documented[op];
            QStringList required{QStringLiteral("400"), QStringLiteral("405"), QStringLiteral("408"), QStringLiteral("413"),
                                 QStringLiteral("429"), QStringLiteral("431"), QStringLiteral("500"), QStringLiteral("505")};
            if (!route.open)
                required << QStringLiteral("401") << QStringLiteral("403");
            if (route.method == QLatin1String("PUT") || route.method == QLatin1String("POST"))
                required << QStringLiteral("415") << QStringLiteral("417");
            const QStringList problems = signiq::openapitest::problemsOf(op, o, required);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("; "))));
        }
        for (auto it = documented.begin(); it != documented.end(); ++it)
            QVERIFY2(served.contains(it.key()), qPrintable(it.key() + QStringLiteral(" is documented but not served")));
    }
};

QTEST_GUILESS_MAIN(TestOpenApiContract)
#include "TestOpenApiContract.moc"
