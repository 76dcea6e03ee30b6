#include "vision/VisionLog.h"

Q_LOGGING_CATEGORY(lcVision, "signiq.vision")
