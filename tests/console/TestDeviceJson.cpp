// The /v1 wire format of the HTTPS client without a device: error mapping, answers -> console
// types, and the multipart overlay reader fed in arbitrary pieces.
#include "ConsoleTestData.h"
#include "client/DeviceJson.h"
#include "client/HttpsDeviceClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::devicejson;

namespace {
QByteArray errorBody(const char *code, const char *message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QString::fromLatin1(code)},
                                                                           {QStringLiteral("message"), QString::fromLatin1(message)}}}})
        .toJson();
}
} // namespace

class TestDeviceJson : public QObject {
    Q_OBJECT

private slots:
    void httpErrorsMapAsDocumented_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        QTest::newRow("400") << 400 << int(core::ErrorCode::InvalidArgument);
        QTest::newRow("401") << 401 << int(core::ErrorCode::PermissionDenied);
        QTest::newRow("403") << 403 << int(core::ErrorCode::PermissionDenied);
        QTest::newRow("404") << 404 << int(core::ErrorCode::NotFound);
        QTest::newRow("409") << 409 << int(core::ErrorCode::InvalidArgument);
        QTest::newRow("413") << 413 << int(core::ErrorCode::InvalidArgument);
        QTest::newRow("415") << 415 << int(core::ErrorCode::InvalidArgument);
        QTest::newRow("422") << 422 << int(core::ErrorCode::InvalidArgument);
        QTest::newRow("429") << 429 << int(core::ErrorCode::Io);
        QTest::newRow("500") << 500 << int(core::ErrorCode::Internal);
        QTest::newRow("503") << 503 << int(core::ErrorCode::Internal);
    }
    void httpErrorsMapAsDocumented()
    {
        QFETCH(int, status);
        QFETCH(int, code);
        const core::Error e = httpError(status, errorBody("some_code", "the device's words"), "7");
        QCOMPARE(int(e.code), code);
        QVERIFY2(e.message.startsWith(QStringLiteral("the device's words (HTTP %1 some_code)").arg(status)), qPrintable(e.message));
        if (status == 429)
            QVERIFY(e.message.endsWith(QStringLiteral("retry after 7 s")));
        // Not the error model: the status still decides, with a generic text.
        QCOMPARE(int(httpError(status, "<html>").code), code);
    }

    void transportFailures()
    {
        const DeviceAddress where{QStringLiteral("player.local"), 8443};
        HttpAnswer refused;
        refused.networkError = QNetworkReply::ConnectionRefusedError;
        refused.networkErrorText = QStringLiteral("Connection refused");
        QCOMPARE(HttpsDeviceClient::failure(refused, where, 20000).code, core::ErrorCode::Io);
        HttpAnswer timeout;
        timeout.networkError = QNetworkReply::OperationCanceledError;
        QVERIFY(HttpsDeviceClient::failure(timeout, where, 20000).message.contains(QStringLiteral("within 20 s")));
        HttpAnswer pin;
        pin.networkError = QNetworkReply::SslHandshakeFailedError;
        pin.certificateProblem = QStringLiteral("certificate sha256 ab… is not the pinned one");
        QCOMPARE(HttpsDeviceClient::failure(pin, where, 20000).code, core::ErrorCode::Corrupt);
        HttpAnswer tls12;
        tls12.networkError = QNetworkReply::SslHandshakeFailedError;
        QCOMPARE(HttpsDeviceClient::failure(tls12, where, 20000).code, core::ErrorCode::Io);
    }

    void malformedAnswersAreParseErrors()
    {
        QCOMPARE(object("not json").error().code, core::ErrorCode::Parse);
        QCOMPARE(object("[1,2]").error().code, core::ErrorCode::Parse);
        QCOMPARE(windowsPage(QJsonObject{{QStringLiteral("windows"), 3}}).error().code, core::ErrorCode::Parse);
        const auto bad = windowsPage(QJsonObject{{QStringLiteral("windows"), QJsonArray{QJsonObject{{QStringLiteral("zone"), 1}}}}});
        QCOMPARE(bad.error().code, core::ErrorCode::Parse);
        QVERIFY(bad.error().message.startsWith(QStringLiteral("windows[0]")));
        QCOMPARE(keyList(QJsonObject{{QStringLiteral("keys"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("abc")}}}}})
                     .error()
                     .code,
                 core::ErrorCode::Parse);
        QCOMPARE(health(QJsonObject{}).error().code, core::ErrorCode::Parse);
    }

    void answersBecomeConsoleTypes()
    {
        const auto h = health(QJsonDocument::fromJson(R"({"status":"ok","uptime_s":12.5,"pipeline":{"fps":9.8,
            "frames_processed":120,"capture_to_release_ms":{"p50":3.5,"p99":null}},"model_version":"yolo-fastest@ab",
            "calibration_version":"0123456789abcdef"})").object());
        QVERIFY(h.ok());
        QCOMPARE(h->pipelineFps, 9.8);
        QCOMPARE(h->captureToReleaseP50Ms, std::optional<double>(3.5));
        QVERIFY(!h->captureToReleaseP99Ms); // null: no figure yet, not zero
        QCOMPARE(h->calibrationVersion, QStringLiteral("0123456789abcdef"));

        const core::AudienceWindow w = testdata::window(QStringLiteral("entrance"), testdata::Monday, 5, 1.5);
        const auto page = windowsPage(QJsonObject{{QStringLiteral("windows"), QJsonArray{w.toJson()}}, {QStringLiteral("next_offset"), 100}});
        QVERIFY(page.ok());
        QCOMPARE(page->items.first(), w);
        QCOMPARE(page->nextOffset, std::optional<qint64>(100));
        const auto last = windowsPage(QJsonObject{{QStringLiteral("windows"), QJsonArray()}, {QStringLiteral("next_offset"), QJsonValue::Null}});
        QVERIFY(last.ok() && !last->nextOffset);

        const QString token = protocol::ApiKeyFormat::generate(protocol::KeyEnvironment::Live).value().token;
        const auto issued = issuedKey(QJsonDocument::fromJson(QStringLiteral(R"({"id":"k3x9m2p7q4ad","name":"BI","environment":"live",
            "scopes":["read","analytics"],"tier":"pro","state":"active","created_at":"2026-11-29T10:00:00.000Z","last_used_at":null,
            "expires_at":"2027-01-01T00:00:00.000Z","revoked_at":null,"rotated_at":null,"previous_secret_valid_until":null,"key":"%1"})")
                                                                  .arg(token)
                                                                  .toUtf8())
                                          .object());
        QVERIFY2(issued.ok(), issued.ok() ? "" : qPrintable(issued.error().message));
        QCOMPARE(issued->token, token);
        QCOMPARE(issued->info.name, QStringLiteral("BI"));
        QCOMPARE(issued->info.scopes, protocol::Scope::Read | protocol::Scope::Analytics);
        QCOMPARE(issued->info.tier, protocol::Tier::Pro);
        QCOMPARE(issued->info.createdAtMs, QDateTime(QDate(2026, 11, 29), QTime(10, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        QVERIFY(issued->info.expiresAtMs.has_value());
        QVERIFY(!issued->info.lastUsedAtMs.has_value());

        NewKeyRequest request;
        request.scopes = protocol::Scope::Admin;
        request.tier = protocol::Tier::Enterprise;
        request.expiresAtMs = testdata::Monday;
        const QJsonObject body = newKeyBody(request);
        QCOMPARE(body.value(QStringLiteral("scopes")).toArray(), QJsonArray{QStringLiteral("admin")});
        QCOMPARE(body.value(QStringLiteral("tier")).toString(), QStringLiteral("enterprise"));
        QCOMPARE(body.value(QStringLiteral("expires_at")).toString(), QStringLiteral("2024-01-01T00:00:00.000Z"));
        QVERIFY(!body.contains(QStringLiteral("name")));
    }

    void zonesAndCalibrationAreOneDocument()
    {
        const QJsonObject zones = QJsonDocument::fromJson(R"({"calibration_version":"00112233aabbccdd","updated_at":"2026-11-29T10:00:00.000Z",
            "config":{"zones":[{"name":"a","polygon":[[0,0],[1,0],[1,1]]}]}})").object();
        const auto uncalibrated = zonesDocument(zones, QJsonObject{{QStringLiteral("calibration"), QJsonValue::Null}});
        QVERIFY2(uncalibrated.ok(), uncalibrated.ok() ? "" : qPrintable(uncalibrated.error().message));
        QCOMPARE(uncalibrated->calibrationVersion, QStringLiteral("00112233aabbccdd"));
        QCOMPARE(uncalibrated->config.zones.size(), 1);
        QVERIFY(!uncalibrated->config.calibration.has_value());
        QCOMPARE(zonesDocument(QJsonObject{}, QJsonObject{}).error().code, core::ErrorCode::Parse);
    }

    void multipartOverlayInPieces()
    {
        QCOMPARE(MultipartReader::boundaryOf("multipart/x-mixed-replace; boundary=signiq-overlay-frame"), QByteArray("signiq-overlay-frame"));
        QCOMPARE(MultipartReader::boundaryOf("multipart/x-mixed-replace;boundary=\"b 1\""), QByteArray("b 1"));
        QByteArray stream = "\r\n";
        QList<QByteArray> bodies;
        for (int i = 0; i < 3; ++i) {
            QByteArray body(100 + i * 37, char('a' + i));
            body.insert(10, "--signiq-overlay-fram"); // a near-delimiter inside the body
            bodies << body;
            stream += "--signiq-overlay-frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + QByteArray::number(body.size()) +
                      "\r\nX-Timestamp-Ms: " + QByteArray::number(1000 + i) + "\r\n\r\n" + body + "\r\n";
        }
        stream += "--signiq-overlay-frame--\r\n";
        for (int chunk : {1, 7, 64, int(stream.size())}) {
            MultipartReader reader("signiq-overlay-frame");
            QList<MultipartReader::Part> parts;
            for (qsizetype at = 0; at < stream.size(); at += chunk) {
                QVERIFY(reader.feed(stream.mid(at, chunk)).ok());
                parts += reader.takeParts();
            }
            QCOMPARE(parts.size(), 3);
            for (int i = 0; i < 3; ++i) {
                QCOMPARE(parts.at(i).body, bodies.at(i));
                QCOMPARE(parts.at(i).timestampMs, 1000 + i);
                QCOMPARE(parts.at(i).contentType, QByteArray("image/jpeg"));
            }
            QVERIFY(reader.isFinished());
        }
        // Without Content-Length the next delimiter ends a part.
        MultipartReader reader("b");
        QVERIFY(reader.feed("--b\r\nContent-Type: image/jpeg\r\n\r\nxyz\r\n--b\r\n").ok());
        QCOMPARE(reader.takeParts().first().body, QByteArray("xyz"));
        MultipartReader bad("b");
        QCOMPARE(bad.feed("--b\r\nContent-Length: lots\r\n\r\n").error().code, core::ErrorCode::Parse);
    }
};

QTEST_GUILESS_MAIN(TestDeviceJson)
#include "TestDeviceJson.moc"
