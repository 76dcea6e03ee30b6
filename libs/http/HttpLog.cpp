#include "http/HttpLog.h"

namespace signiq::http {
Q_LOGGING_CATEGORY(lcHttp, "signiq.http")
}
