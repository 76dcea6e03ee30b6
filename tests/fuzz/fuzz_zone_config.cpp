// zones.json (core::ZoneConfig::fromJson): the zone configuration an installer imports or a
// client PUTs to /v1/config.
// Invariants: an accepted configuration validates, its canonical JSON parses back to the same
// configuration, and its version is 16 hex characters.
#include "FuzzSupport.h"

#include "core/ZoneConfig.h"

using signiq::core::ZoneConfig;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto config = ZoneConfig::fromJson(signiq::fuzz::bytes(data, size));
    if (!config) {
        SIGNIQ_FUZZ_CHECK(!config.error().message.isEmpty());
        return 0;
    }
    SIGNIQ_FUZZ_CHECK(config->validate().ok());
    const QByteArray canonical = config->toJson();
    auto again = ZoneConfig::fromJson(canonical);
    SIGNIQ_FUZZ_CHECK(again.ok());
    SIGNIQ_FUZZ_CHECK(again->toJson() == canonical);
    SIGNIQ_FUZZ_CHECK(config->version().size() == 16);
    SIGNIQ_FUZZ_CHECK(again->version() == config->version());
    for (const auto &line : config->lines)
        SIGNIQ_FUZZ_CHECK(config->zoneIndex(line.zone) >= 0);
    return 0;
}
