#pragma once

#include "audit/AuditTableModel.h"
#include "audit/AuditVerification.h"
#include "client/DeviceTypes.h"

#include <QObject>

namespace signiq::console {

class DeviceSession;

// Browse, export and verify the audit log of the current device.
class AuditViewModel : public QObject {
    Q_OBJECT

public:
    explicit AuditViewModel(DeviceSession &session, QObject *parent = nullptr);

    AuditTableModel *entries() { return &m_entries; }
    AuditTableModel *verifiedEntries() { return &m_verified; }
    const AuditQuery &query() const { return m_query; }
    void setQuery(const AuditQuery &query) { m_query = query; }
    bool isBusy() const { return m_busy; }
    // The device's audit public key (32 bytes, `signiq-edge audit public-key`): with it the
    // head signature of an export is checked and a verified file can be "intact"; without it
    // the best result is "chain only".
    void setAuditPublicKey(const QByteArray &publicKey) { m_auditPublicKey = publicKey; }

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

private:
    void setBusy(bool busy);
    static QString summarise(const AuditVerification &verification);

    DeviceSession &m_session;
    AuditQuery m_query;
    AuditTableModel m_entries;
    AuditTableModel m_verified;
    QByteArray m_auditPublicKey;
    quint64 m_generation = 0;
    bool m_busy = false;
};

} // namespace signiq::console
