// API key strings (protocol::ApiKeyFormat::parse): what a client sends in Authorization /
// X-Api-Key before any database lookup.
// Invariants: an accepted key has the documented shape (sq_<live|test>_<12 [0-9a-z]>_<38>),
// keeps the token as presented, and matches its own hash; a refusal never echoes the input.
#include "FuzzSupport.h"

#include "protocol/ApiKey.h"

using signiq::protocol::ApiKeyFormat;
using signiq::protocol::KeyEnvironment;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString token = QString::fromUtf8(signiq::fuzz::bytes(data, size));
    auto parsed = ApiKeyFormat::parse(token);
    if (!parsed) {
        if (token.size() >= 8)
            SIGNIQ_FUZZ_CHECK(!parsed.error().message.contains(token));
        return 0;
    }
    SIGNIQ_FUZZ_CHECK(parsed->token == token);
    SIGNIQ_FUZZ_CHECK(parsed->keyId.size() == ApiKeyFormat::KeyIdLength);
    for (const QChar c : parsed->keyId)
        SIGNIQ_FUZZ_CHECK((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z'));
    const QString prefix = parsed->environment == KeyEnvironment::Live ? QStringLiteral("sq_live_") : QStringLiteral("sq_test_");
    SIGNIQ_FUZZ_CHECK(token.startsWith(prefix));
    SIGNIQ_FUZZ_CHECK(token.size() == prefix.size() + ApiKeyFormat::KeyIdLength + 1 + ApiKeyFormat::SecretLength + ApiKeyFormat::ChecksumLength);
    SIGNIQ_FUZZ_CHECK(ApiKeyFormat::matches(token, ApiKeyFormat::hashToken(token)));
    return 0;
}
