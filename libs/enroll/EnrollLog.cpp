#include "enroll/EnrollLog.h"

Q_LOGGING_CATEGORY(lcEnroll, "signiq.enroll")
