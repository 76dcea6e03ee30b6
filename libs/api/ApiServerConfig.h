#pragma once

#include "api/ApiKey.h"
#include "api/RateLimiter.h"
#include "core/Clock.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"
#include "http/HttpLimits.h"
#include "protocol/Health.h"

#include <QString>

#include <functional>
#include <optional>

namespace signiq::crypto {
class Ed25519SigningKey;
}

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::api {

class OverlayFeed;

struct ApiServerOptions {
    // What one client may cost (body and header size, timeouts, connection caps): enforced by
    // the HTTP front while it reads (libs/http).
    http::Limits http;
    int defaultPageSize = 100;
    int maxPageSize = 1000;
    int auditMaxPageSize = 1000;
    qint64 overlayMaxSessionMs = 10 * 60 * 1000; // an installer session closes itself after this
    double overlayMaxFps = 5.0;
    int overlayMaxSessions = 2;
    qint64 overlayMaxBufferedBytes = 4 * 1024 * 1024; // a slow client skips frames, never grows memory
    // Limits per tier (sliding window with burst), and for requests without a valid key (per
    // source address: /v1/health and failed authentications).
    std::function<RatePolicy(Tier)> policyForTier = &RatePolicy::forTier;
    RatePolicy anonymousPolicy{120, 60, 20};
};

// Everything the server reads or changes, injected by the program that runs it.
struct ApiServerContext {
    const storage::EncryptedDatabase *database = nullptr; // a connection of the server's thread
    const core::Clock *clock = nullptr;
    // The audit key (its own key file, never the database key): every audit entry the server
    // writes signs the new head. Empty: an unsigned log (and a signed one refuses appends).
    const crypto::Ed25519SigningKey *auditKey = nullptr;
    // The runtime's part of /v1/health (status, uptime, pipeline figures, running versions);
    // the server adds its version and the stored configuration. Empty: status "ok", uptime
    // since the server started, no pipeline figures.
    std::function<protocol::HealthRecord()> health;
    OverlayFeed *overlay = nullptr;                       // empty: /v1/overlay answers 503
    // Asked before a valid zone/calibration change is stored: whether the pipeline can count
    // with it (e.g. the floor points give a ground plane); a refusal answers 422 invalid_config.
    std::function<core::Status(const core::ZoneConfig &)> checkConfig;
    // Called after an accepted zone/calibration change was stored (new calibration_version).
    std::function<void(const core::ZoneConfig &)> configChanged;
};

} // namespace signiq::api
