#pragma once

#include <optional>

#include "core/Clock.h"
#include "crypto/TlsConfiguration.h"
#include "hub/HubApiServer.h"
#include "hub/WebhookDispatcher.h"

#include <QHostAddress>

#include <QStringList>
#include <QTextStream>

class QCommandLineParser;

namespace signiq::hub {
class Database;
struct ConnectionOptions;
}

namespace signiq::hubapp {

// The signiq-hub command line: parses the arguments and calls libs/hub. Results go to `out`
// (machine-readable: ids, the key token), progress and errors to `err`. run() returns the exit
// status: 0 success, 1 error (a message on `err` names the problem), 2 bad usage.
class HubCli {
public:
    HubCli(const core::Clock &clock, QTextStream &out, QTextStream &err) : m_clock(clock), m_out(out), m_err(err) {}

    int run(const QStringList &arguments);

    // serve: the webhook dispatcher (on when a webhook key is given).
    struct WebhookServe {
        bool enabled = false;
        qint64 intervalMs = 5000;
        hub::WebhookAddressPolicy::Mode mode = hub::WebhookAddressPolicy::Mode::Production;
        hub::WebhookDispatcher::Options dispatcher;
    };

private:
    int runServer(hub::Database &db, const crypto::TlsIdentity &identity, const QHostAddress &address, quint16 port,
                  const hub::HubApiOptions &options, std::optional<quint16> syncPort, const WebhookServe &webhooks);
    int runBackupOrRestore(const QCommandLineParser &p, const QString &command, const hub::ConnectionOptions &connection);
    // setup-db: roles, passwords and database (hub::DatabaseSetup), then migrate as signiq_owner
    // and log in as signiq_app over `connection` (what the service uses).
    int runSetupDb(const QCommandLineParser &p, hub::ConnectionOptions connection);
    // migrate: pending migrations and the upcoming monthly partitions, reported on `err`.
    [[nodiscard]] core::Status migrate(hub::Database &db);

    const core::Clock &m_clock;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace signiq::hubapp
