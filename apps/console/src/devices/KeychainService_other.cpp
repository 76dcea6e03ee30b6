#include "devices/KeychainService.h"

namespace signiq::console {

KeychainServiceState detectKeychainService()
{
    KeychainServiceState state;
    state.available = true;
#if defined(Q_OS_MACOS)
    state.service = QStringLiteral("macOS Keychain");
#elif defined(Q_OS_WIN)
    state.service = QStringLiteral("Windows Credential Manager");
#else
    state.service = QStringLiteral("system keychain");
#endif
    return state;
}

} // namespace signiq::console
