#pragma once
// A reader for the shape of docs/openapi.yaml and docs/openapi-hub.yaml, shared by the edge's and
// the hub's contract tests (test_api_openapi_contract, test_hub_api).

#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace signiq::openapitest {

struct Operation {
    QMap<QString, QString> responses; // status -> the response's line(s)
};

// A reader for the shape of docs/openapi.yaml (two-space indentation): paths at 2, methods at 4,
// "responses:" at 6, statuses at 8. Not a YAML parser; the test fails if the file leaves that shape.
inline QMap<QString, Operation> readOperations(const QString &path, QString &server)
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

inline QString normalised(const QString &method, const QString &pattern, const QString &server)
{
    QString p = pattern;
    if (p.startsWith(server))
        p = p.mid(server.size());
    return method + QLatin1Char(' ') + p;
}

// What is wrong with documented operation `op`: a response that does not say what its body holds,
// no 2xx response, a status of `required` that is not listed. Empty when nothing is.
inline QStringList problemsOf(const QString &op, const Operation &o, const QStringList &required)
{
    QStringList problems;
    bool success = false;
    for (auto it = o.responses.begin(); it != o.responses.end(); ++it) {
        success = success || it.key().startsWith(QLatin1Char('2'));
        if (!it.value().contains(QLatin1String("$ref")) && !it.value().contains(QLatin1String("content")))
            problems << op + QLatin1Char(' ') + it.key() + QStringLiteral(" does not say what its body holds");
    }
    if (!success)
        problems << op + QStringLiteral(" has no 2xx response");
    for (const QString &status : required) {
        if (!o.responses.contains(status))
            problems << op + QStringLiteral(" does not list ") + status;
    }
    return problems;
}

} // namespace signiq::openapitest
