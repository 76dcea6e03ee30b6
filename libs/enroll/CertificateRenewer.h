#pragma once

#include "core/Clock.h"
#include "enroll/DeviceIdentityStore.h"
#include "enroll/EnrollmentClient.h"

#include <QObject>
#include <QTimer>

namespace signiq::enroll {

// Renews the device certificate when two thirds of its lifetime have passed (by the injected
// clock), authenticating with the current certificate. Until the new certificate is verified
// and on disk nothing changes: servers keep presenting the old one. Then renewed() carries the
// new identity; connect it to TlsServer::setIdentity() (open connections stay up, new ones get
// the new certificate). A failed attempt (CA holder unreachable, ...) is retried at the next
// check while the old certificate keeps serving.
class CertificateRenewer : public QObject {
    Q_OBJECT
public:
    CertificateRenewer(DeviceIdentityStore &store, EnrollmentEndpoint endpoint, const core::Clock &clock, QObject *parent = nullptr);

    // notBefore + 2/3 (notAfter - notBefore).
    static qint64 renewalDueMs(const crypto::Certificate &certificate);

    // Starts a renewal if one is due and none is running; returns whether one was started.
    bool checkNow();
    // Calls checkNow() every `intervalMs` (production: a minute; tests call checkNow()).
    void start(int intervalMs = 60 * 1000);

signals:
    void renewed(const signiq::crypto::TlsIdentity &identity);
    void renewalFailed(const QString &reason);

private:
    DeviceIdentityStore &m_store;
    const core::Clock &m_clock;
    EnrollmentClient m_client;
    QSslCertificate m_ca;
    crypto::PrivateKey m_pendingKey;
    QTimer m_timer;
};

} // namespace signiq::enroll
