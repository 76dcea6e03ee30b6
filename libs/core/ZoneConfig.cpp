#include "core/ZoneConfig.h"
