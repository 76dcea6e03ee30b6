#pragma once

#include <QString>

namespace signiq::core {

// systemd credentials (LoadCredential=NAME:PATH): the file $CREDENTIALS_DIRECTORY/NAME, or "" when
// the variable is unset or the file does not exist. Programs use it as the default of a file
// option (--tls-cert, --key-file, ...), so no secret is ever in the unit or the environment.
QString credentialFile(const QString &name);

} // namespace signiq::core
