#pragma once

#include <QLoggingCategory>

namespace signiq::http {
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
}
