#pragma once

#include "core/Result.h"

#include <QCoreApplication>
#include <QString>

namespace signiq::console {

// Translated, user-facing sentences for errors. The English detail of the error (which may come
// from the device and cannot be translated) follows the translated sentence.
class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ErrorText)

public:
    // An error of a DeviceClient call (mapping in DeviceClient.h).
    static QString forDevice(const core::Error &error);
    // An error reading or writing a local file.
    static QString forFile(const core::Error &error);
    // An error of the local secret store (keychain or encrypted file).
    static QString forSecrets(const core::Error &error);
    // The device refused the key itself (HTTP 401: unknown, revoked, or the old secret after a
    // rotation), as opposed to a key without the scope a call needs (403).
    static bool isKeyRefused(const core::Error &error);
};

} // namespace signiq::console
