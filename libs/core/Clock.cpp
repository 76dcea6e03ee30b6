#include "core/Clock.h"

#include <QDateTime>

namespace signiq::core {

qint64 SystemClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace signiq::core
