#include "hub/HubLog.h"

// Warnings by default; QT_LOGGING_RULES="signiq.hub.info=true" shows migrations, retention and connections.
Q_LOGGING_CATEGORY(lcHub, "signiq.hub", QtWarningMsg)
