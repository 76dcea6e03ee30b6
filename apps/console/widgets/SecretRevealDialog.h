#pragma once

#include "client/DeviceTypes.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace signiq::console {

// Shows a new key's secret exactly once, with a copy button and a warning. The text is cleared
// when the dialog closes.
class SecretRevealDialog : public QDialog {
    Q_OBJECT

public:
    SecretRevealDialog(const IssuedKey &key, bool rotated, int overlapDays, QWidget *parent = nullptr);

    QLineEdit *secretEdit() const { return m_secret; }
    QPushButton *copyButton() const { return m_copy; }

protected:
    void done(int result) override;

private:
    QLineEdit *m_secret = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_copied = nullptr;
};

} // namespace signiq::console
