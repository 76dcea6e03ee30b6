#include "analytics/AnalyticsLog.h"

Q_LOGGING_CATEGORY(lcAnalytics, "signiq.analytics")
