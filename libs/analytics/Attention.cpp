#include "analytics/Attention.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace signiq::analytics {

namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

struct Vec3 {
    double x = 0, y = 0, z = 0;
    double norm() const { return std::sqrt(x * x + y * y + z * z); }
};

Vec3 minus(const Vec3 &a, const Vec3 &b)
{
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}

double angleBetweenDeg(const Vec3 &a, const Vec3 &b)
{
    const double na = a.norm();
    const double nb = b.norm();
    if (na <= 0.0 || nb <= 0.0)
        return 0.0;
    const double c = std::clamp((a.x * b.x + a.y * b.y + a.z * b.z) / (na * nb), -1.0, 1.0);
    return std::acos(c) / kDegToRad;
}

} // namespace

AttentionRules AttentionRules::fromSettings(const core::AudienceSettings &settings)
{
    AttentionRules rules;
    rules.coneDeg = settings.attentionConeDeg;
    rules.minDurationMs = std::llround(settings.attentionMinS * 1000.0);
    return rules;
}

AttentionGeometry::AttentionGeometry(std::optional<core::Calibration> calibration)
    : m_calibration(std::move(calibration))
{
}

std::optional<double> AttentionGeometry::angleToScreenDeg(const core::HeadPose &pose, std::optional<QPointF> floorM) const
{
    const double yaw = double(pose.yawDeg) * kDegToRad;
    const double pitch = double(pose.pitchDeg) * kDegToRad;
    if (!std::isfinite(yaw) || !std::isfinite(pitch))
        return std::nullopt;
    if (!m_calibration)
        return std::acos(std::clamp(std::cos(yaw) * std::cos(pitch), -1.0, 1.0)) / kDegToRad;
    if (!floorM)
        return std::nullopt;

    // Floor x is positive to the right of someone facing the screen (core/Calibration.h), so
    // (x, y, z up) is left-handed. Mirror x to work in a right-handed frame (x to the right as
    // seen from the screen looking into the room); angles are unchanged by the mirror.
    const core::Calibration &c = *m_calibration;
    const Vec3 head{-floorM->x(), floorM->y(), core::Calibration::HeadHeightM};
    const Vec3 camera{-c.camera.positionM.x(), c.camera.positionM.y(), c.camera.heightM};
    const Vec3 screen{-c.screen.centreM.x(), c.screen.centreM.y(), c.screen.centreHeightM};

    // Direction head -> lens as azimuth/elevation, then the pose applied to it. In the
    // right-handed frame the image's left is -x, so a face turned toward the image's left
    // (yaw < 0) turns clockwise seen from above: azimuth + yaw.
    const Vec3 toCamera = minus(camera, head);
    const double azimuth = std::atan2(toCamera.y, toCamera.x) + yaw;
    const double elevation = std::clamp(std::atan2(toCamera.z, std::hypot(toCamera.x, toCamera.y)) + pitch,
                                        -std::numbers::pi / 2, std::numbers::pi / 2);
    const Vec3 gaze{std::cos(elevation) * std::cos(azimuth), std::cos(elevation) * std::sin(azimuth), std::sin(elevation)};
    return angleBetweenDeg(gaze, minus(screen, head));
}

std::optional<Glance> GlanceTracker::observe(qint64 tMs, Judgement judgement)
{
    std::optional<Glance> ended;
    if (m_open && tMs - m_lastLookMs >= m_rules.maxJudgementGapMs) {
        ended = Glance{m_startMs, m_lastLookMs};
        m_open = false;
    }
    switch (judgement) {
    case Judgement::Looking:
        if (!m_open) {
            m_open = true;
            m_startMs = tMs;
        }
        m_lastLookMs = tMs;
        break;
    case Judgement::Away:
        if (m_open && tMs - m_lastLookMs >= m_rules.gapToleranceMs) {
            ended = Glance{m_startMs, m_lastLookMs};
            m_open = false;
        }
        break;
    case Judgement::Unknown:
        break;
    }
    return ended;
}

std::optional<Glance> GlanceTracker::end()
{
    if (!m_open)
        return std::nullopt;
    m_open = false;
    return Glance{m_startMs, m_lastLookMs};
}

} // namespace signiq::analytics
