#pragma once

#include <QByteArray>
#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace signiq::console {

// Enter a device's audit public key: paste the 64 hex characters `signiq-edge audit public-key`
// prints, or load the file it writes. The key is checked as it is typed (parseAuditPublicKey);
// its key ID is shown to compare with the device, and OK is enabled only for a usable key.
class AuditKeyDialog : public QDialog {
    Q_OBJECT

public:
    // `deviceName`, `pinnedKeyId` (empty: none pinned) for the explanation.
    AuditKeyDialog(const QString &deviceName, const QString &pinnedKeyId, QWidget *parent = nullptr);

    QByteArray publicKey() const { return m_key; } // 32 bytes once valid
    QLineEdit *keyEdit() const { return m_edit; }
    QPushButton *okButton() const { return m_ok; }
    QString checkText() const;

public slots:
    // Reads the file into the field (or shows why it cannot).
    void loadFile(const QString &path);

private:
    void check();
    void chooseFile();

    QLineEdit *m_edit = nullptr;
    QLabel *m_check = nullptr;
    QPushButton *m_ok = nullptr;
    QByteArray m_key;
};

} // namespace signiq::console
