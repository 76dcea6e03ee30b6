#include "enroll/CertificateRenewer.h"

#include "crypto/CertificateAuthority.h"

#include "enroll/EnrollLog.h"

namespace signiq::enroll {

CertificateRenewer::CertificateRenewer(DeviceIdentityStore &store, EnrollmentEndpoint endpoint, const core::Clock &clock, QObject *parent)
    : QObject(parent), m_store(store), m_clock(clock), m_client(endpoint), m_ca(endpoint.caCertificate)
{
    connect(&m_timer, &QTimer::timeout, this, &CertificateRenewer::checkNow);
    connect(&m_client, &EnrollmentClient::finished, this, [this] {
        const crypto::PrivateKey key = std::exchange(m_pendingKey, crypto::PrivateKey());
        const auto &result = m_client.result();
        if (!result) {
            qCWarning(lcEnroll) << "certificate renewal failed:" << result.error().message;
            emit renewalFailed(result.error().message);
            return;
        }
        if (auto ok = m_store.save(key, *result, m_clock, m_ca); !ok) {
            qCWarning(lcEnroll) << "renewed certificate rejected:" << ok.error().message;
            emit renewalFailed(ok.error().message);
            return;
        }
        auto identity = m_store.identity();
        if (!identity) {
            emit renewalFailed(identity.error().message);
            return;
        }
        qCInfo(lcEnroll) << "device certificate renewed, now valid until" << identity->certificate.expiryDate();
        emit renewed(*identity);
    });
}

qint64 CertificateRenewer::renewalDueMs(const crypto::Certificate &certificate)
{
    // The CA backdates notBefore by BackdateMs against clock skew; 2/3 of the lifetime counts
    // from the moment of issue, or short-lived certificates would look overdue at once.
    qint64 issued = certificate.notBeforeMs();
    if (certificate.notAfterMs() - issued > crypto::CertificateAuthority::BackdateMs)
        issued += crypto::CertificateAuthority::BackdateMs;
    return issued + (certificate.notAfterMs() - issued) * 2 / 3;
}

bool CertificateRenewer::checkNow()
{
    if (m_client.isBusy() || !m_pendingKey.isNull())
        return false;
    auto current = m_store.certificate();
    if (!current) {
        emit renewalFailed(current.error().message);
        return false;
    }
    if (m_clock.nowMs() < renewalDueMs(*current))
        return false;
    auto identity = m_store.identity();
    if (!identity) {
        emit renewalFailed(identity.error().message);
        return false;
    }
    auto key = crypto::PrivateKey::generateEcP256();
    if (!key) {
        emit renewalFailed(key.error().message);
        return false;
    }
    auto csr = crypto::CertificateRequest::create(*key, current->subjectCommonName());
    if (!csr) {
        emit renewalFailed(csr.error().message);
        return false;
    }
    qCInfo(lcEnroll) << "renewing device certificate" << current->serialHex() << "(2/3 of its lifetime passed)";
    m_pendingKey = *key;
    m_client.renew(*identity, csr->toPem());
    return true;
}

void CertificateRenewer::start(int intervalMs)
{
    m_timer.start(intervalMs);
    checkNow();
}

} // namespace signiq::enroll
