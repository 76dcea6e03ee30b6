#pragma once

#include "audit/AuditTableModel.h"
#include "audit/AuditVerification.h"
#include "client/DeviceTypes.h"

#include <QObject>

namespace signiq::console {

class AuditKeyPins;
class DeviceSession;

// Browse, export and verify the audit log of the current device, and pin its audit public key.
class AuditViewModel : public QObject {
    Q_OBJECT

public:
    // `pins`: where the devices' audit keys are pinned; with it the key used for verification is
    // always the current device's pinned key (updated when the device or its pin changes), and
    // pinAuditKey/clearAuditKey work. Without it (tests, tools) only setAuditPublicKey sets one.
    explicit AuditViewModel(DeviceSession &session, AuditKeyPins *pins = nullptr, QObject *parent = nullptr);

    AuditTableModel *entries() { return &m_entries; }
    AuditTableModel *verifiedEntries() { return &m_verified; }
    const AuditQuery &query() const { return m_query; }
    void setQuery(const AuditQuery &query) { m_query = query; }
    bool isBusy() const { return m_busy; }
    // The device's audit public key (32 bytes, `signiq-edge audit public-key`): with it the
    // head signature of an export is checked and a verified file can be "intact"; without it
    // the best result is "chain only". With pins, the current device's pinned key is set here
    // whenever the device or its pin changes.
    void setAuditPublicKey(const QByteArray &publicKey);
    QByteArray auditPublicKey() const { return m_auditPublicKey; }
    QString auditKeyId() const; // 16 hex characters; empty: no key
    // A registered device is current and pins were given.
    bool canPinAuditKey() const;
    QString deviceName() const;
    // True when another key is pinned for the current device: the page asks before replacing it.
    bool pinReplacesAnotherKey(const QByteArray &publicKey) const;
    // Pins / clears the current device's audit key (saved with the device list). A refusal is
    // also emitted as failed() with a translated sentence and the reason.
    [[nodiscard]] core::Status pinAuditKey(const QByteArray &publicKey);
    [[nodiscard]] core::Status clearAuditKey();

public slots:
    void refresh();
    // Asks the device for the export of the query's time range and writes it to `path`.
    void exportTo(const QString &path, signiq::console::AuditExportFormat format);
    // Checks an exported file offline, on a worker thread.
    void verifyFile(const QString &path);

signals:
    void busyChanged(bool busy);
    void loaded(int count);
    void exported(const QString &path, int bytes);
    void verified(const QString &summary, bool intact); // translated summary; intact: signature verified
    void failed(const QString &message);                // translated
    // The key verifications use now (another device, a new or cleared pin); empty: none.
    void auditKeyChanged(const QString &keyId);

private:
    void setBusy(bool busy);
    void usePinnedKey();
    static QString summarise(const AuditVerification &verification, const QByteArray &publicKey);

    DeviceSession &m_session;
    AuditKeyPins *m_pins = nullptr;
    AuditQuery m_query;
    AuditTableModel m_entries;
    AuditTableModel m_verified;
    QByteArray m_auditPublicKey;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace signiq::console
