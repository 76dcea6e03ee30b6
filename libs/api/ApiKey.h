#pragma once

// The key format and scope/tier types are part of the protocol (libs/protocol/ApiKey.h): the
// console, the hub and the sync client use the same definitions. Kept under their api:: names.
#include "protocol/ApiKey.h"

namespace signiq::api {
using protocol::ApiKeyFormat;
using protocol::KeyEnvironment;
using protocol::NewApiKey;
using protocol::ParsedApiKey;
using protocol::Scope;
using protocol::Scopes;
using protocol::scopeNames;
using protocol::scopesFromNames;
using protocol::Tier;
using protocol::tierFromName;
using protocol::tierName;
} // namespace signiq::api
