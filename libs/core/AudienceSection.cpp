// zones.json "audience": attention cone and minimum, demographics switch, k-anonymity, window.
#include "core/ConfigJson.h"

#include <cmath>

namespace signiq::core::configjson {

Result<AudienceSettings> readAudience(const QJsonValue &value)
{
    const QString path(kAudience);
    if (!value.isObject())
        return invalid(path, QStringLiteral("must be an object"));
    const QJsonObject object = value.toObject();
    if (auto error = checkKeys(object, {kConeDeg, kAttentionMin, kDemographics, kK, kDemographicWindow}, path))
        return *error;
    AudienceSettings audience;
    if (auto error = readNumber(object, kConeDeg, path, QStringLiteral("a number of degrees"), audience.attentionConeDeg, false))
        return *error;
    const QString secondsWhat = QStringLiteral("a number of seconds");
    if (auto error = readNumber(object, kAttentionMin, path, secondsWhat, audience.attentionMinS, false))
        return *error;
    if (auto error = readNumber(object, kDemographicWindow, path, secondsWhat, audience.demographicWindowS, false))
        return *error;
    if (object.contains(kDemographics)) {
        if (!object.value(kDemographics).isBool())
            return invalid(child(path, kDemographics), QStringLiteral("must be true or false"));
        audience.demographics = object.value(kDemographics).toBool();
    }
    if (object.contains(kK)) {
        const QJsonValue k = object.value(kK);
        const double v = k.toDouble(-1.0);
        if (!k.isDouble() || v != std::floor(v) || v < AudienceSettings::MinK || v > AudienceSettings::MaxK) {
            return invalid(child(path, kK), QStringLiteral("must be a whole number between %1 and %2%3")
                                                .arg(AudienceSettings::MinK)
                                                .arg(AudienceSettings::MaxK)
                                                .arg(k.isDouble() ? QStringLiteral(", is ") + seconds(v) : QString()));
        }
        audience.k = int(v);
    }
    return audience;
}

std::optional<Error> checkAudience(const AudienceSettings &a)
{
    const QString path(kAudience);
    if (!std::isfinite(a.attentionConeDeg) || a.attentionConeDeg <= 0.0 || a.attentionConeDeg >= AudienceSettings::MaxConeDeg) {
        return invalid(child(path, kConeDeg), QStringLiteral("must be greater than 0 and less than %1, is %2")
                                                  .arg(seconds(AudienceSettings::MaxConeDeg), seconds(a.attentionConeDeg)));
    }
    if (auto error = checkPositive(a.attentionMinS, AudienceSettings::MaxAttentionMinS, child(path, kAttentionMin)))
        return *error;
    if (a.k < AudienceSettings::MinK || a.k > AudienceSettings::MaxK) {
        return invalid(child(path, kK), QStringLiteral("must be a whole number between %1 and %2, is %3")
                                            .arg(AudienceSettings::MinK).arg(AudienceSettings::MaxK).arg(a.k));
    }
    const QString windowPath = child(path, kDemographicWindow);
    if (!std::isfinite(a.demographicWindowS) || a.demographicWindowS < AudienceSettings::MinDemographicWindowS
        || a.demographicWindowS > AudienceSettings::MaxDemographicWindowS) {
        return invalid(windowPath, QStringLiteral("must be between %1 and %2, is %3")
                                       .arg(seconds(AudienceSettings::MinDemographicWindowS),
                                            seconds(AudienceSettings::MaxDemographicWindowS), seconds(a.demographicWindowS)));
    }
    if (a.demographicWindowS != std::floor(a.demographicWindowS))
        return invalid(windowPath, QStringLiteral("must be a whole number of seconds, is %1").arg(seconds(a.demographicWindowS)));
    return std::nullopt;
}

QJsonObject audienceToJson(const AudienceSettings &audience)
{
    return QJsonObject{
        {kConeDeg, audience.attentionConeDeg},
        {kAttentionMin, audience.attentionMinS},
        {kDemographics, audience.demographics},
        {kK, audience.k},
        {kDemographicWindow, audience.demographicWindowS},
    };
}

} // namespace signiq::core::configjson
