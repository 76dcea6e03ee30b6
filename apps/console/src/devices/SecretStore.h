#pragma once

#include "core/Result.h"

#include <QFuture>
#include <QString>

namespace signiq::console {

// Where the console keeps device API keys. Used from the GUI thread; answers arrive as futures.
// Errors: NotFound (no such secret), Unsupported (this backend is not available on this
// machine, e.g. no Secret Service running), PermissionDenied, Io, WrongKey.
class SecretStore {
public:
    virtual ~SecretStore() = default;

    virtual QFuture<core::Result<QString>> readSecret(const QString &name) = 0;
    virtual QFuture<core::Status> writeSecret(const QString &name, const QString &secret) = 0;
    virtual QFuture<core::Status> removeSecret(const QString &name) = 0;
    // Translated, for the settings page: "system keychain", "encrypted file".
    virtual QString backendName() const = 0;
};

} // namespace signiq::console
