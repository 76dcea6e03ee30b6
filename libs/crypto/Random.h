#pragma once

#include "core/Result.h"

#include <QByteArray>

namespace signiq::crypto {

// n bytes from the operating system's CSPRNG (OpenSSL RAND_bytes). n must be >= 0.
[[nodiscard]] core::Result<QByteArray> randomBytes(int n);

// Overwrites the bytes of `bytes` with zeros in a way the compiler cannot optimise away
// (OPENSSL_cleanse), then clears it. Only this copy is wiped: if `bytes` shares its buffer
// with another QByteArray, it detaches first and the other copy is left untouched.
void secureZero(QByteArray &bytes);

} // namespace signiq::crypto
