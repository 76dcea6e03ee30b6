#pragma once

#include "api/ApiKey.h"
#include "api/RateLimiter.h"
#include "core/Clock.h"
#include "core/Result.h"
#include "core/ZoneConfig.h"

#include <QString>

#include <functional>
#include <optional>

namespace signiq::storage {
class EncryptedDatabase;
}

namespace signiq::api {

class OverlayFeed;

// Live figures of the pipeline for /v1/health (no counts). Produced thread-safely by the
// runtime; the server asks for a copy per request.
struct HealthSnapshot {
    QString status = QStringLiteral("ok"); // "starting", "ok", "stopping", "stopped", "failed"
    qint64 startedAtMs = 0;
    double pipelineFps = 0.0;
    qint64 framesProcessed = 0;
    std::optional<double> captureToReleaseP50Ms;
    std::optional<double> captureToReleaseP99Ms;
    QString modelVersion;
    QString calibrationVersion; // of the running pipeline
};

struct ApiServerOptions {
    qint64 maxBodyBytes = 64 * 1024;
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
    std::function<HealthSnapshot()> health;               // empty: status "ok" without pipeline figures
    OverlayFeed *overlay = nullptr;                       // empty: /v1/overlay answers 503
    // Asked before a valid zone/calibration change is stored: whether the pipeline can count
    // with it (e.g. the floor points give a ground plane); a refusal answers 422 invalid_config.
    std::function<core::Status(const core::ZoneConfig &)> checkConfig;
    // Called after an accepted zone/calibration change was stored (new calibration_version).
    std::function<void(const core::ZoneConfig &)> configChanged;
};

} // namespace signiq::api
