#include "ConsoleLog.h"

Q_LOGGING_CATEGORY(lcConsole, "signiq.console")
