#pragma once

#include "client/DeviceTypes.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QTableView;

namespace signiq::console {

class AuditViewModel;

// Browse the audit log with filters, export it, and verify an exported file offline.
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

public slots:
    void applyFilters();
    void chooseExport(signiq::console::AuditExportFormat format);
    void chooseVerify();

private:
    AuditQuery queryFromControls() const;

    AuditViewModel &m_model;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLineEdit *m_actor = nullptr;
    QComboBox *m_action = nullptr;
    QTableView *m_table = nullptr;
    QTableView *m_verifiedTable = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_verification = nullptr;
};

} // namespace signiq::console
