#pragma once

#include "client/DeviceTypes.h"
#include "core/Clock.h"

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;

namespace signiq::console {

// Scopes as checkboxes, tier, optional expiry. OK is enabled only for a valid request.
class CreateKeyDialog : public QDialog {
    Q_OBJECT

public:
    CreateKeyDialog(const core::Clock &clock, QWidget *parent = nullptr);

    NewKeyRequest request() const;
    QCheckBox *scopeBox(protocol::Scope scope) const { return m_scopes.value(scope); }
    QLineEdit *labelEdit() const { return m_label; }
    QComboBox *tierBox() const { return m_tier; }
    QCheckBox *expiryBox() const { return m_expires; }
    QDateEdit *expiryDate() const { return m_expiry; }
    QPushButton *okButton() const { return m_ok; }

private:
    void validate();

    const core::Clock &m_clock;
    QLineEdit *m_label = nullptr;
    QMap<protocol::Scope, QCheckBox *> m_scopes;
    QComboBox *m_tier = nullptr;
    QCheckBox *m_expires = nullptr;
    QDateEdit *m_expiry = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace signiq::console
