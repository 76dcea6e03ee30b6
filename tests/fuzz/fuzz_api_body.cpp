// API request bodies: the decoding the endpoints run before they touch the database, with the
// same helpers and field sets (api/RequestDecoding.h, protocol::strictjson, protocol/ApiKey.h,
// protocol/Time.h, core::ZoneConfig). The endpoint methods themselves need a KeyStore and a
// database, so they are exercised by tests/api; this target covers everything up to there.
//
// Input: [route: 1 byte][content type: 1 byte][body]
//   route 0 POST /v1/keys (name, scopes, tier, environment, expires_at)
//         1 POST /v1/keys/{id}/rotate (overlap_s, empty body allowed)
//         2 PUT /v1/zones and PUT /v1/calibration (ZoneConfig::fromJson of the body)
//         3 answers a client reads (ErrorBody, KeyInfo, IssuedKey, HealthRecord)
// Invariants: every refusal is a JSON error body with a 4xx status that ErrorBody reads back;
// accepted numbers are in range.
#include "FuzzSupport.h"

#include "api/RequestDecoding.h"
#include "api/KeyStore.h"
#include "core/ZoneConfig.h"
#include "protocol/ApiKey.h"
#include "protocol/Errors.h"
#include "protocol/Health.h"
#include "protocol/Keys.h"
#include "protocol/StrictJson.h"
#include "protocol/Time.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace signiq;
using api::ApiRequest;
using api::ApiResponse;

namespace {

void checkRefusal(const std::optional<ApiResponse> &bad)
{
    if (!bad)
        return;
    SIGNIQ_FUZZ_CHECK(bad->status >= 400 && bad->status < 500);
    SIGNIQ_FUZZ_CHECK(bad->isJson());
    const auto error = protocol::ErrorBody::fromBody(bad->body);
    SIGNIQ_FUZZ_CHECK(error.has_value() && !error->code.isEmpty());
}

void createKey(const ApiRequest &request)
{
    QJsonObject o;
    auto bad = api::parseJsonBody(request, false, o);
    checkRefusal(bad);
    if (bad)
        return;
    bad = api::checkFields(o, {QStringLiteral("name"), QStringLiteral("scopes"), QStringLiteral("tier"), QStringLiteral("environment"),
                               QStringLiteral("expires_at")});
    checkRefusal(bad);
    if (bad)
        return;
    QStringList names;
    for (const QJsonValue &v : o.value(QStringLiteral("scopes")).toArray())
        names << v.toString();
    if (auto scopes = protocol::scopesFromNames(names))
        SIGNIQ_FUZZ_CHECK(protocol::scopesFromNames(protocol::scopeNames(*scopes)).ok());
    if (auto tier = protocol::tierFromName(o.value(QStringLiteral("tier")).toString()))
        SIGNIQ_FUZZ_CHECK(protocol::tierFromName(protocol::tierName(*tier)).ok());
    if (const auto t = protocol::parseTime(o.value(QStringLiteral("expires_at")).toString()))
        (void)protocol::isoTime(*t);
}

void rotateKey(const ApiRequest &request)
{
    QJsonObject o;
    auto bad = api::parseJsonBody(request, true, o);
    checkRefusal(bad);
    if (bad)
        return;
    bad = api::checkFields(o, {QStringLiteral("overlap_s")});
    checkRefusal(bad);
    if (bad || !o.contains(QStringLiteral("overlap_s")))
        return;
    const auto v = protocol::strictjson::wholeNumber(o.value(QStringLiteral("overlap_s")), 0, api::KeyStore::MaxRotationOverlapMs / 1000);
    if (v) {
        SIGNIQ_FUZZ_CHECK(*v >= 0 && *v <= api::KeyStore::MaxRotationOverlapMs / 1000);
        SIGNIQ_FUZZ_CHECK(*v * 1000 <= api::KeyStore::MaxRotationOverlapMs);
    }
}

void putConfig(const ApiRequest &request)
{
    QJsonObject o;
    auto bad = api::parseJsonBody(request, false, o);
    checkRefusal(bad);
    if (bad)
        return;
    // PUT /v1/zones: the body itself; PUT /v1/calibration: the body as "calibration".
    for (const QJsonObject &merged : {o, QJsonObject{{QStringLiteral("zones"), QJsonArray{}}, {QStringLiteral("calibration"), o}}}) {
        auto config = core::ZoneConfig::fromJson(QJsonDocument(merged).toJson(QJsonDocument::Compact));
        if (config)
            SIGNIQ_FUZZ_CHECK(config->validate().ok());
    }
}

void readAnswers(const QByteArray &body)
{
    (void)protocol::ErrorBody::fromBody(body);
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (auto key = protocol::KeyInfo::fromJson(o))
        (void)key->toJson(0);
    (void)protocol::IssuedKey::fromJson(o);
    if (auto health = protocol::HealthRecord::fromJson(o)) {
        auto again = protocol::HealthRecord::fromJson(health->toJson());
        SIGNIQ_FUZZ_CHECK(again.ok());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Input in(data, size);
    const std::size_t route = in.below(4);
    static const QByteArray types[] = {"application/json", "application/json; charset=utf-8", "text/plain", ""};
    ApiRequest request;
    request.contentType = types[in.below(4)];
    request.body = in.rest();
    switch (route) {
    case 0: createKey(request); break;
    case 1: rotateKey(request); break;
    case 2: putConfig(request); break;
    default: readAnswers(request.body); break;
    }
    return 0;
}
