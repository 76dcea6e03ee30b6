// Standard Webhooks v1 signing: known answers, secrets, the timestamp window, rotation, and two
// independent second opinions: Python's hmac module and the reference npm package
// standardwebhooks run through node (installed by scripts/setup.sh via scripts/fetch-standardwebhooks.sh).
#include "core/Clock.h"
#include "hub/WebhookSigning.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace signiq;
using hub::WebhookHeaders;
using hub::WebhookSecret;
namespace ws = hub::webhook_signing;

namespace {

WebhookSecret secretOf(const char *text)
{
    auto s = WebhookSecret::parse(QByteArray(text));
    if (!s)
        qFatal("bad test secret: %s", qPrintable(s.error().toString()));
    return *s;
}

// Runs `program args` with `input` on stdin; the trimmed stdout, or an empty optional.
std::optional<QByteArray> run(const QString &program, const QStringList &args, const QByteArray &input, QString *why)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        *why = QStringLiteral("%1 did not start: %2").arg(program, p.errorString());
        return std::nullopt;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *why = QStringLiteral("%1 failed: %2").arg(program, QString::fromUtf8(p.readAllStandardError()));
        return std::nullopt;
    }
    return p.readAllStandardOutput().trimmed();
}

} // namespace

class TestWebhookSigning : public QObject {
    Q_OBJECT
private slots:
    void knownAnswers_data();
    void knownAnswers();
    void secretsRoundTripAndRefuseBadText_data();
    void secretsRoundTripAndRefuseBadText();
    void generatedSecretsAreRandomAndTheRightSize();
    void verifyAcceptsTheSignedMessage();
    void tamperedBodyIdOrTimestampFails();
    void timestampOutsideTheWindowFails();
    void rotationCarriesBothSignatures();
    void badIdsAreRefused();
    void pythonHmacAgrees();
    void referenceLibraryAgrees();
};

void TestWebhookSigning::knownAnswers_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    // The example of the Standard Webhooks specification (and its reference libraries' tests).
    QTest::newRow("specification") << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << QByteArray("msg_p5jXN8AQM9LWM0D4loKWxJek")
                                   << qint64(1614265330) << QByteArray(R"({"test": 2432232314})")
                                   << QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    // Computed independently: python3 -c 'hmac.new(bytes(range(32)), b"msg_2.1796601600.{...}", sha256)'.
    QTest::newRow("python") << QByteArray("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=") << QByteArray("msg_2")
                            << qint64(1796601600) << QByteArray(R"({"type":"webhook.test"})")
                            << QByteArray("v1,t6UWx+epqFAjMDMXvFdekrod913wYr+oodEMv74wfTU=");
}

void TestWebhookSigning::knownAnswers()
{
    QFETCH(QByteArray, secret);
    QFETCH(QByteArray, id);
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    const WebhookSecret s = secretOf(secret.constData());
    QCOMPARE(ws::signature(s, id, timestamp, body), expected);
    auto headers = ws::sign({s}, id, timestamp, body);
    QVERIFY(headers);
    QCOMPARE(headers->signature, expected);
    QCOMPARE(headers->timestamp, QByteArray::number(timestamp));
    QCOMPARE(headers->id, id);
    const core::ManualClock clock(timestamp * 1000);
    QVERIFY(ws::verify(s, *headers, body, clock));
}

void TestWebhookSigning::secretsRoundTripAndRefuseBadText_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("24 bytes") << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << true;
    QTest::newRow("no prefix") << QByteArray("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << false;
    QTest::newRow("other prefix") << QByteArray("whsek_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << false;
    QTest::newRow("not base64") << QByteArray("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa!!") << false;
    QTest::newRow("too short") << QByteArray("whsec_AAECAwQF") << false;
    QTest::newRow("empty") << QByteArray("whsec_") << false;
    QTest::newRow("too long") << (QByteArray("whsec_") + QByteArray(65, 'x').toBase64()) << false;
}

void TestWebhookSigning::secretsRoundTripAndRefuseBadText()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    auto s = WebhookSecret::parse(text);
    QCOMPARE(s.ok(), valid);
    if (valid) {
        QCOMPARE(s->toText(), text);
    } else {
        QCOMPARE(s.error().code, core::ErrorCode::InvalidArgument);
        QVERIFY2(!s.error().message.contains(QString::fromLatin1(text.mid(6))) || text.size() <= 6, "the message repeats the secret");
    }
}

void TestWebhookSigning::generatedSecretsAreRandomAndTheRightSize()
{
    auto a = WebhookSecret::generate();
    auto b = WebhookSecret::generate();
    QVERIFY(a && b);
    QCOMPARE(a->key().size(), WebhookSecret::GeneratedBytes);
    QVERIFY(a->key() != b->key());
    QVERIFY(a->toText().startsWith("whsec_"));
    auto back = WebhookSecret::parse(a->toText());
    QVERIFY(back);
    QCOMPARE(*back, *a);
}

void TestWebhookSigning::verifyAcceptsTheSignedMessage()
{
    auto s = WebhookSecret::generate();
    QVERIFY(s);
    const core::ManualClock clock(1'796'601'600'000);
    auto headers = ws::sign({*s}, "msg_01", clock.nowMs() / 1000, R"({"a":1})");
    QVERIFY(headers);
    auto ok = ws::verify(*s, *headers, R"({"a":1})", clock);
    QVERIFY2(ok, qPrintable(ok.ok() ? QString() : ok.error().toString()));
    auto other = WebhookSecret::generate();
    QVERIFY(other);
    auto wrong = ws::verify(*other, *headers, R"({"a":1})", clock);
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, core::ErrorCode::Corrupt);
}

void TestWebhookSigning::tamperedBodyIdOrTimestampFails()
{
    const WebhookSecret s = secretOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const core::ManualClock clock(1614265330'000);
    auto headers = ws::sign({s}, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})");
    QVERIFY(headers);
    QCOMPARE(ws::verify(s, *headers, R"({"test": 2432232315})", clock).error().code, core::ErrorCode::Corrupt);
    QCOMPARE(ws::verify(s, *headers, R"({"test": 2432232314} )", clock).error().code, core::ErrorCode::Corrupt);
    WebhookHeaders otherId = *headers;
    otherId.id = "msg_other";
    QCOMPARE(ws::verify(s, otherId, R"({"test": 2432232314})", clock).error().code, core::ErrorCode::Corrupt);
    WebhookHeaders otherTime = *headers;
    otherTime.timestamp = "1614265331";
    QCOMPARE(ws::verify(s, otherTime, R"({"test": 2432232314})", clock).error().code, core::ErrorCode::Corrupt);
    WebhookHeaders noVersion = *headers;
    noVersion.signature = headers->signature.mid(3);
    QCOMPARE(ws::verify(s, noVersion, R"({"test": 2432232314})", clock).error().code, core::ErrorCode::Corrupt);
    WebhookHeaders v2 = *headers;
    v2.signature = "v2," + headers->signature.mid(3);
    QCOMPARE(ws::verify(s, v2, R"({"test": 2432232314})", clock).error().code, core::ErrorCode::Corrupt);
    WebhookHeaders missing = *headers;
    missing.signature.clear();
    QCOMPARE(ws::verify(s, missing, R"({"test": 2432232314})", clock).error().code, core::ErrorCode::InvalidArgument);
}

void TestWebhookSigning::timestampOutsideTheWindowFails()
{
    const WebhookSecret s = secretOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const qint64 t = 1614265330;
    auto headers = ws::sign({s}, "msg_1", t, "{}");
    QVERIFY(headers);
    core::ManualClock clock(t * 1000);
    QVERIFY(ws::verify(s, *headers, "{}", clock));
    clock.setMs((t + ws::DefaultToleranceS) * 1000); // the edge of the window still passes
    QVERIFY(ws::verify(s, *headers, "{}", clock));
    clock.setMs((t + ws::DefaultToleranceS + 1) * 1000);
    auto old = ws::verify(s, *headers, "{}", clock);
    QVERIFY(!old);
    QCOMPARE(old.error().code, core::ErrorCode::InvalidArgument);
    QVERIFY2(old.error().message.contains(QLatin1String("too old")), qPrintable(old.error().message));
    clock.setMs((t - ws::DefaultToleranceS - 1) * 1000);
    auto future = ws::verify(s, *headers, "{}", clock);
    QVERIFY(!future);
    QVERIFY2(future.error().message.contains(QLatin1String("too new")), qPrintable(future.error().message));
    clock.setMs((t + 30) * 1000);
    QVERIFY(!ws::verify(s, *headers, "{}", clock, 10)); // a narrower tolerance
    WebhookHeaders garbage = *headers;
    garbage.timestamp = "16142653x0";
    QCOMPARE(ws::verify(s, garbage, "{}", clock).error().code, core::ErrorCode::InvalidArgument);
}

void TestWebhookSigning::rotationCarriesBothSignatures()
{
    auto oldSecret = WebhookSecret::generate();
    auto newSecret = WebhookSecret::generate();
    auto stranger = WebhookSecret::generate();
    QVERIFY(oldSecret && newSecret && stranger);
    const core::ManualClock clock(1'796'601'600'000);
    auto headers = ws::sign({*oldSecret, *newSecret}, "msg_rot", clock.nowMs() / 1000, "payload");
    QVERIFY(headers);
    const QByteArrayList parts = headers->signature.split(' ');
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts.at(0), ws::signature(*oldSecret, "msg_rot", clock.nowMs() / 1000, "payload"));
    QCOMPARE(parts.at(1), ws::signature(*newSecret, "msg_rot", clock.nowMs() / 1000, "payload"));
    QVERIFY(ws::verify(*oldSecret, *headers, "payload", clock));
    QVERIFY(ws::verify(*newSecret, *headers, "payload", clock));
    QVERIFY(!ws::verify(*stranger, *headers, "payload", clock));
    QVERIFY(!ws::verify(*newSecret, *headers, "payl0ad", clock));
}

void TestWebhookSigning::badIdsAreRefused()
{
    auto s = WebhookSecret::generate();
    QVERIFY(s);
    QCOMPARE(ws::sign({*s}, "", 1, "x").error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(ws::sign({*s}, "msg.1", 1, "x").error().code, core::ErrorCode::InvalidArgument); // '.' would shift the signed content
    QCOMPARE(ws::sign({*s}, QByteArray(129, 'a'), 1, "x").error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(ws::sign({*s}, "msg_1", -1, "x").error().code, core::ErrorCode::InvalidArgument);
    QCOMPARE(ws::sign({}, "msg_1", 1, "x").error().code, core::ErrorCode::InvalidArgument);
}

void TestWebhookSigning::pythonHmacAgrees()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    QVERIFY2(!python.isEmpty(), "python3 is needed for the independent HMAC check (scripts/packages.txt)");
    auto a = WebhookSecret::generate();
    auto b = WebhookSecret::generate();
    QVERIFY(a && b);
    const QByteArray body = QByteArrayLiteral("{\"type\":\"key.created\",\"data\":{\"k\":\"\\u00e9 \xc3\xa9\"}}\n");
    auto headers = ws::sign({*a, *b}, "msg_py", 1796601600, body);
    QVERIFY(headers);
    // An independent verifier: Python's hmac, base64 and the spec's rules, nothing from Signiq.
    const QString script = QStringLiteral(R"py(
import base64, hashlib, hmac, json, sys
d = json.load(sys.stdin)
body = base64.b64decode(d["body"])
content = d["id"].encode() + b"." + d["timestamp"].encode() + b"." + body
out = []
for secret in d["secrets"]:
    key = base64.b64decode(secret[len("whsec_"):])
    want = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    out.append(any(p.startswith("v1,") and hmac.compare_digest(p[3:], want) for p in d["signature"].split(" ")))
print(json.dumps(out))
)py");
    QJsonObject in{{QStringLiteral("id"), QString::fromLatin1(headers->id)},
                   {QStringLiteral("timestamp"), QString::fromLatin1(headers->timestamp)},
                   {QStringLiteral("signature"), QString::fromLatin1(headers->signature)},
                   {QStringLiteral("body"), QString::fromLatin1(body.toBase64())},
                   {QStringLiteral("secrets"), QJsonArray{QString::fromLatin1(a->toText()), QString::fromLatin1(b->toText()),
                                                          QString::fromLatin1(WebhookSecret::generate()->toText())}}};
    QString why;
    auto out = run(python, {QStringLiteral("-c"), script}, QJsonDocument(in).toJson(QJsonDocument::Compact), &why);
    QVERIFY2(out, qPrintable(why));
    QCOMPARE(*out, QByteArray("[true, true, false]"));
}

void TestWebhookSigning::referenceLibraryAgrees()
{
    // A fixture, not an option: scripts/setup.sh installs node, npm and the pinned package.
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    QVERIFY2(!node.isEmpty(), "node is not installed (Debian package nodejs; scripts/setup.sh installs it)");
    const QString modules = QStringLiteral(SIGNIQ_TEST_NPM_DIR "/node_modules");
    QVERIFY2(QFileInfo::exists(modules + QStringLiteral("/standardwebhooks/package.json")),
             qPrintable(QStringLiteral("npm package standardwebhooks is not installed in %1; run scripts/fetch-standardwebhooks.sh %2 "
                                       "(scripts/setup.sh does; needs npm and the registry)")
                            .arg(modules, QStringLiteral(SIGNIQ_TEST_NPM_DIR))));
    auto a = WebhookSecret::generate();
    auto b = WebhookSecret::generate();
    QVERIFY(a && b);
    const QByteArray body = QByteArrayLiteral(R"({"type":"webhook.test","timestamp":"2026-12-07T17:00:00Z","data":{}})");
    // The library checks the timestamp against the real time (5 minutes either way).
    const core::SystemClock clock;
    const qint64 now = clock.nowMs() / 1000;
    auto rotated = ws::sign({*a, *b}, "msg_node", now, body);
    auto stale = ws::sign({*a}, "msg_old", now - 6 * 60, body);
    QVERIFY(rotated && stale);
    // For each case: does the reference Webhook(secret).verify(payload, headers) accept it?
    const QString script = QStringLiteral(R"js(
const { Webhook } = require("standardwebhooks");
let input = "";
process.stdin.on("data", (c) => (input += c));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const out = cases.map((c) => {
    try {
      new Webhook(c.secret).verify(Buffer.from(c.body, "base64").toString("utf8"), c.headers);
      return true;
    } catch (e) {
      return false;
    }
  });
  console.log(JSON.stringify(out));
});
)js");
    auto headersOf = [](const WebhookHeaders &h) {
        return QJsonObject{{QStringLiteral("webhook-id"), QString::fromLatin1(h.id)},
                           {QStringLiteral("webhook-timestamp"), QString::fromLatin1(h.timestamp)},
                           {QStringLiteral("webhook-signature"), QString::fromLatin1(h.signature)}};
    };
    auto one = [&](const WebhookSecret &s, const WebhookHeaders &h, const QByteArray &payload) {
        return QJsonObject{{QStringLiteral("secret"), QString::fromLatin1(s.toText())},
                           {QStringLiteral("headers"), headersOf(h)},
                           {QStringLiteral("body"), QString::fromLatin1(payload.toBase64())}};
    };
    const QJsonArray cases{one(*a, *rotated, body), one(*b, *rotated, body), one(*a, *rotated, body + ' '),
                           one(*WebhookSecret::generate(), *rotated, body), one(*a, *stale, body)};
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QProcess p;
    env.insert(QStringLiteral("NODE_PATH"), modules);
    p.setProcessEnvironment(env);
    p.start(node, {QStringLiteral("-e"), script});
    QVERIFY2(p.waitForStarted(10000), qPrintable(p.errorString()));
    p.write(QJsonDocument(cases).toJson(QJsonDocument::Compact));
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QCOMPARE(p.readAllStandardOutput().trimmed(), QByteArray("[true,true,false,false,false]"));
}

QTEST_GUILESS_MAIN(TestWebhookSigning)
#include "TestWebhookSigning.moc"
