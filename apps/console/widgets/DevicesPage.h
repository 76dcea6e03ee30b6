#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace signiq::console {

class DevicesViewModel;
class SecretStore;
struct PendingDevice;

// Add devices by address (with the certificate decision), pick the current device, see status.
class DevicesPage : public QWidget {
    Q_OBJECT

public:
    DevicesPage(DevicesViewModel &model, SecretStore &secrets, QWidget *parent = nullptr);

    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *addressEdit() const { return m_address; }
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *addButton() const { return m_add; }
    QTableView *table() const { return m_table; }
    QString statusText() const;
    // Where API keys are stored, and why (updated when the store changes).
    QString storageText() const;

private:
    void add();
    void updateStorageText();
    void showCertificate(const PendingDevice &pending);
    void useSelected();
    void removeSelected();
    void askForNewKey();
    QString selectedId() const;

    DevicesViewModel &m_model;
    SecretStore &m_secrets;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_address = nullptr;
    QLineEdit *m_key = nullptr;
    QPushButton *m_add = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_storage = nullptr;
};

} // namespace signiq::console
