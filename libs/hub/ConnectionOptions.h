#pragma once

#include "core/Result.h"

#include <QString>
#include <QStringList>

namespace signiq::hub {

// Where and as whom to connect to PostgreSQL. Passwords never come from the command line or a
// conninfo string: from `passwordFile` (refused when group/world readable), else from
// $CREDENTIALS_DIRECTORY/<user>.password (systemd LoadCredential=), else none (peer/trust).
struct ConnectionOptions {
    QString host;         // a host name, or a directory holding the unix socket (e.g. the private cluster's DIR)
    int port = 5432;
    QString dbname = QStringLiteral("signiq");
    QString user;
    QString passwordFile;
    int connectTimeoutS = 10;
    QString sslmode;      // libpq sslmode (e.g. verify-full); empty: libpq's default

    // "host=/srv/pg port=55432 dbname=signiq user=signiq_app" (libpq keyword=value, values may be
    // single-quoted). Keys: host, port, dbname, user, password_file, connect_timeout, sslmode.
    // A "password" key is refused: it would end up in shell history and process listings.
    [[nodiscard]] static core::Result<ConnectionOptions> fromConnInfo(const QString &conninfo);
    // Checks ranges and required fields; errors name the option.
    [[nodiscard]] core::Status validate() const;
    // The password to use (empty: none), read as described above.
    [[nodiscard]] core::Result<QString> password() const;
    // The inverse of fromConnInfo() for libpq's tools (pg_dump, psql): host, port, dbname, user,
    // connect_timeout, sslmode and application_name, values single-quoted. Never a password.
    QString toConnInfo(const QString &applicationName) const;
    // QPSQL connect options (connect_timeout, sslmode, application_name).
    QString driverOptions() const;
    // For logs and error messages: never a password.
    QString describe() const;
};

} // namespace signiq::hub
