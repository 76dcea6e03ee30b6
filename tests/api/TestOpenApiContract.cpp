// docs/openapi.yaml against the server's route table: every route the edge answers is in the
// file and every operation in the file is a route; every operation lists each status the
// request pipeline and the HTTP front can send for it (429, 500 and the front's 400/408/413/
// 431/505 everywhere; 401/403 unless the route is open; 415/417 with a body; 405); every
// response says what its body holds (a $ref to a shared response, or a content schema).
#include "api/EdgeApiServer.h"
#include "storage/EncryptedDatabase.h"

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::api;

namespace {

struct Operation {
    QMap<QString, QString> responses; // status -> the response's line(s)
};

// A reader for the shape of docs/openapi.yaml (two-space indentation): paths at 2, methods at 4,
// "responses:" at 6, statuses at 8. Not a YAML parser; the test fails if the file leaves that shape.
QMap<QString, Operation> readOperations(const QString &path, QString &server)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    QMap<QString, Operation> out;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    const QRegularExpression pathRe(QStringLiteral("^  (/\\S*):\\s*$"));
    const QRegularExpression methodRe(QStringLiteral("^    (get|put|post|delete|patch):\\s*$"));
    const QRegularExpression statusRe(QStringLiteral("^        \"(\\d{3})\":(.*)$"));
    const QRegularExpression serverRe(QStringLiteral("^  - url: .*?(/v\\d+)\\s*$"));
    bool inPaths = false;
    bool inResponses = false;
    QString current;
    QString lastStatus;
    for (const QString &line : lines) {
        if (auto m = serverRe.match(line); m.hasMatch())
            server = m.captured(1);
        if (line == QLatin1String("paths:")) {
            inPaths = true;
            continue;
        }
        if (!inPaths)
            continue;
        if (!line.startsWith(QLatin1Char(' ')) && !line.trimmed().isEmpty())
            inPaths = false;
        if (auto m = pathRe.match(line); m.hasMatch()) {
            current = m.captured(1);
            inResponses = false;
            continue;
        }
        if (auto m = methodRe.match(line); m.hasMatch()) {
            current = current.section(QLatin1Char(' '), -1) ;
            current = m.captured(1).toUpper() + QLatin1Char(' ') + current;
            out.insert(current, {});
            inResponses = false;
            continue;
        }
        if (line == QLatin1String("      responses:")) {
            inResponses = true;
            continue;
        }
        if (line.startsWith(QLatin1String("      ")) && !line.startsWith(QLatin1String("       ")))
            inResponses = false;
        if (!inResponses)
            continue;
        if (auto m = statusRe.match(line); m.hasMatch()) {
            lastStatus = m.captured(1);
            out[current].responses.insert(lastStatus, m.captured(2).trimmed());
        } else if (!lastStatus.isEmpty() && line.startsWith(QLatin1String("          "))) {
            out[current].responses[lastStatus] += QLatin1Char(' ') + line.trimmed();
        }
    }
    return out;
}

QString normalised(const QString &method, const QString &pattern, const QString &server)
{
    QString p = pattern;
    if (p.startsWith(server))
        p = p.mid(server.size());
    return method + QLatin1Char(' ') + p;
}

} // namespace

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
            bool success = false;
            for (auto it = o.responses.begin(); it != o.responses.end(); ++it) {
                success = success || it.key().startsWith(QLatin1Char('2'));
                QVERIFY2(it.value().contains(QLatin1String("$ref")) || it.value().contains(QLatin1String("content")),
                         qPrintable(op + QLatin1Char(' ') + it.key() + QStringLiteral(" does not say what its body holds")));
            }
            QVERIFY2(success, qPrintable(op + QStringLiteral(" has no 2xx response")));
            for (const QString &status : required)
                QVERIFY2(o.responses.contains(status), qPrintable(op + QStringLiteral(" does not list ") + status));
        }
        for (auto it = documented.begin(); it != documented.end(); ++it)
            QVERIFY2(served.contains(it.key()), qPrintable(it.key() + QStringLiteral(" is documented but not served")));
    }
};

QTEST_GUILESS_MAIN(TestOpenApiContract)
#include "TestOpenApiContract.moc"
