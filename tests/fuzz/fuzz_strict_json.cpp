// Strict JSON (protocol::strictjson): every API request body goes through parseObject().
// Invariants: an accepted body is a JSON object that QJsonDocument reads the same and has no
// repeated key; a refused valid JSON object names its repeated key; wholeNumber() never
// returns a value outside the range it was asked for.
#include "FuzzSupport.h"

#include "protocol/StrictJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace sj = signiq::protocol::strictjson;

namespace {

void checkNumbers(const QJsonValue &value, int depth)
{
    if (depth > 8)
        return;
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            checkNumbers(it.value(), depth + 1);
        return;
    }
    if (value.isArray()) {
        for (const QJsonValue &v : value.toArray())
            checkNumbers(v, depth + 1);
        return;
    }
    constexpr qint64 kMax = std::numeric_limits<qint64>::max();
    constexpr qint64 kMin = std::numeric_limits<qint64>::min();
    const std::pair<qint64, qint64> ranges[] = {{0, kMax}, {kMin, kMax}, {0, 604800}, {-1, 1}, {kMax, kMax}, {kMin, kMin}};
    for (const auto &[lo, hi] : ranges) {
        const auto n = sj::wholeNumber(value, lo, hi);
        if (n)
            SIGNIQ_FUZZ_CHECK(*n >= lo && *n <= hi);
        if (!value.isDouble())
            SIGNIQ_FUZZ_CHECK(!n);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray json = signiq::fuzz::bytes(data, size);
    auto parsed = sj::parseObject(json);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (parsed) {
        SIGNIQ_FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject());
        SIGNIQ_FUZZ_CHECK(doc.object() == *parsed);
        SIGNIQ_FUZZ_CHECK(!sj::duplicateKey(json));
        checkNumbers(*parsed, 0);
    } else {
        SIGNIQ_FUZZ_CHECK(!parsed.error().message.isEmpty());
        if (error.error == QJsonParseError::NoError && doc.isObject())
            SIGNIQ_FUZZ_CHECK(sj::duplicateKey(json).has_value());
    }
    if (error.error == QJsonParseError::NoError)
        (void)sj::duplicateKey(json); // any valid JSON, arrays too
    return 0;
}
