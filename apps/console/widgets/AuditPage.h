#pragma once

#include "client/DeviceTypes.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace signiq::console {

class AuditViewModel;

// Browse the audit log with filters, export it, verify an exported file offline, and pin the
// device's audit public key the verification trusts.
class AuditPage : public QWidget {
    Q_OBJECT

public:
    explicit AuditPage(AuditViewModel &model, QWidget *parent = nullptr);

    QTableView *entriesTable() const { return m_table; }
    QTableView *verifiedTable() const { return m_verifiedTable; }
    QLineEdit *actorEdit() const { return m_actor; }
    QComboBox *actionBox() const { return m_action; }
    QString verificationText() const;
    QString statusText() const;
    QString auditKeyText() const;
    QPushButton *pinButton() const { return m_pin; }
    QPushButton *clearPinButton() const { return m_clearPin; }

public slots:
    void applyFilters();
    void chooseExport(signiq::console::AuditExportFormat format);
    void chooseVerify();
    // "Pin audit key…": the key dialog, then a confirmation when another key is pinned.
    void openPinDialog();
    // "Clear pin…" with a confirmation.
    void confirmClearPin();

private:
    AuditQuery queryFromControls() const;
    void pinWithConfirmation(const QByteArray &publicKey);
    void showAuditKey();

    AuditViewModel &m_model;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLineEdit *m_actor = nullptr;
    QComboBox *m_action = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_verifiedTable = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_verification = nullptr;
    QLabel *m_auditKey = nullptr;
    QPushButton *m_pin = nullptr;
    QPushButton *m_clearPin = nullptr;
};

} // namespace signiq::console
