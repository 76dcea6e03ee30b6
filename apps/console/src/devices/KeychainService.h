#pragma once

#include <QString>

namespace signiq::console {

// Whether this desktop has a keychain service QtKeychain can use, and why not. On Linux: a
// Secret Service (org.freedesktop.secrets: GNOME Keyring, KeePassXC, KWallet ≥ 5.97) running or
// D-Bus-activatable on the session bus with libsecret installed, or KWallet's own kwalletd.
// Other platforms always have one (macOS Keychain, Windows Credential Manager).
// Platform code: KeychainService_linux.cpp (QtDBus) or KeychainService_other.cpp, chosen by CMake.
struct KeychainServiceState {
    bool available = false;
    QString service; // "Secret Service", "KWallet", "macOS Keychain" …, when available
    QString reason;  // English, when not available: what is missing
};

// Asks the session bus (a few milliseconds; once at start-up and when the setting changes).
KeychainServiceState detectKeychainService();

} // namespace signiq::console
