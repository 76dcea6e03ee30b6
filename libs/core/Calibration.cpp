#include "core/Calibration.h"

#include <cmath>

namespace signiq::core {

namespace {

QString metres(double m)
{
    return QString::number(m, 'g', 6);
}

} // namespace

QList<double> defaultDistanceBandsM()
{
    static const QList<double> kDefault = {2.0, 4.0, 6.0};
    return kDefault;
}

double Calibration::distanceToScreenM(QPointF floorM) const
{
    return std::hypot(floorM.x() - screen.centreM.x(), floorM.y() - screen.centreM.y());
}

int Calibration::distanceBandFor(double distanceM) const
{
    int band = 0;
    while (band < distanceBandsM.size() && distanceM >= distanceBandsM[band])
        ++band;
    return band;
}

QString Calibration::distanceBandName(int band) const
{
    const int edges = int(distanceBandsM.size());
    if (band < 0 || band > edges)
        return {};
    if (edges == 0)
        return QStringLiteral("all");
    if (band == 0)
        return QLatin1Char('<') + metres(distanceBandsM[0]) + QStringLiteral(" m");
    if (band == edges)
        return QLatin1Char('>') + metres(distanceBandsM[edges - 1]) + QStringLiteral(" m");
    return metres(distanceBandsM[band - 1]) + QLatin1Char('-') + metres(distanceBandsM[band]) + QStringLiteral(" m");
}

} // namespace signiq::core
