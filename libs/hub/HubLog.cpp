#include "hub/HubLog.h"

Q_LOGGING_CATEGORY(lcHub, "signiq.hub")
