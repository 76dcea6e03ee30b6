// Audit exports (protocol::AuditChain::parseExport + verify): a JSON-lines or CSV file that an
// auditor verifies offline.
// Invariants: parsing never crashes; what parses is written back as JSON lines and as CSV that
// both parse to the same entries, and verify() gives the same answer for all three.
#include "FuzzSupport.h"

#include "protocol/AuditChain.h"

using signiq::protocol::AuditChain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto entries = AuditChain::parseExport(signiq::fuzz::bytes(data, size));
    if (!entries)
        return 0;
    const auto verdict = AuditChain::verify(*entries);
    if (verdict)
        SIGNIQ_FUZZ_CHECK(verdict->index >= 0 && verdict->index < entries->size() && !verdict->reason.isEmpty());
    if (!entries->isEmpty())
        (void)AuditChain::verify(*entries, entries->first().prevHash); // as a slice

    auto fromJson = AuditChain::parseExport(AuditChain::toJsonLines(*entries));
    SIGNIQ_FUZZ_CHECK(fromJson.ok());
    SIGNIQ_FUZZ_CHECK(*fromJson == *entries);
    auto fromCsv = AuditChain::parseExport(AuditChain::toCsv(*entries));
    SIGNIQ_FUZZ_CHECK(fromCsv.ok());
    SIGNIQ_FUZZ_CHECK(*fromCsv == *entries);
    SIGNIQ_FUZZ_CHECK(AuditChain::verify(*fromCsv).has_value() == verdict.has_value());
    return 0;
}
