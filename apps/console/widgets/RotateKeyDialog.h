#pragma once

#include <QDialog>

class QSpinBox;

namespace signiq::console {

// Rotation with an overlap of 0-7 days during which the old secret still works.
class RotateKeyDialog : public QDialog {
    Q_OBJECT

public:
    RotateKeyDialog(const QString &keyId, QWidget *parent = nullptr);

    int overlapDays() const;
    QSpinBox *overlapBox() const { return m_overlap; }

private:
    QSpinBox *m_overlap = nullptr;
};

} // namespace signiq::console
