#include "CreateKeyDialog.h"

#include "keys/ApiKeyTableModel.h"
#include "keys/ApiKeysViewModel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace signiq::console {

namespace {
QString scopeDescription(protocol::Scope scope)
{
    switch (scope) {
    case protocol::Scope::Read:
        return CreateKeyDialog::tr("read — health and configuration");
    case protocol::Scope::Write:
        return CreateKeyDialog::tr("write — change zones and settings");
    case protocol::Scope::Analytics:
        return CreateKeyDialog::tr("analytics — audience windows");
    case protocol::Scope::Export:
        return CreateKeyDialog::tr("export — CSV and audit exports");
    case protocol::Scope::Webhooks:
        return CreateKeyDialog::tr("webhooks — manage subscriptions");
    case protocol::Scope::Calibrate:
        return CreateKeyDialog::tr("calibrate — live overlay for installers");
    case protocol::Scope::Admin:
        return CreateKeyDialog::tr("admin — keys and audit log");
    }
    return {};
}
} // namespace

CreateKeyDialog::CreateKeyDialog(const core::Clock &clock, QWidget *parent) : QDialog(parent), m_clock(clock)
{
    setWindowTitle(tr("Create API key"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_label = new QLineEdit(this);
    m_label->setPlaceholderText(tr("what the key is for, e.g. BI dashboard"));
    form->addRow(tr("Label:"), m_label);
    m_tier = new QComboBox(this);
    for (protocol::Tier tier : {protocol::Tier::Free, protocol::Tier::Pro, protocol::Tier::Enterprise})
        m_tier->addItem(ApiKeyTableModel::tierText(tier), int(tier));
    form->addRow(tr("Rate-limit tier:"), m_tier);
    m_expires = new QCheckBox(tr("Expires on"), this);
    m_expiry = new QDateEdit(QDateTime::fromMSecsSinceEpoch(clock.nowMs()).date().addDays(90), this);
    m_expiry->setCalendarPopup(true);
    m_expiry->setEnabled(false);
    auto *expiryRow = new QHBoxLayout;
    expiryRow->addWidget(m_expires);
    expiryRow->addWidget(m_expiry, 1);
    form->addRow(tr("Expiry:"), expiryRow);
    layout->addLayout(form);

    auto *scopes = new QGroupBox(tr("Scopes"), this);
    auto *grid = new QGridLayout(scopes);
    int i = 0;
    for (protocol::Scope scope : {protocol::Scope::Read, protocol::Scope::Write, protocol::Scope::Analytics, protocol::Scope::Export, protocol::Scope::Webhooks,
                             protocol::Scope::Calibrate, protocol::Scope::Admin}) {
        auto *box = new QCheckBox(scopeDescription(scope), scopes);
        box->setObjectName(protocol::scopeNames(scope).value(0));
        m_scopes.insert(scope, box);
        grid->addWidget(box, i / 2, i % 2);
        connect(box, &QCheckBox::toggled, this, &CreateKeyDialog::validate);
        ++i;
    }
    layout->addWidget(scopes);

    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color: #b02a37;"));
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Create key"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_expires, &QCheckBox::toggled, m_expiry, &QDateEdit::setEnabled);
    connect(m_expires, &QCheckBox::toggled, this, &CreateKeyDialog::validate);
    connect(m_expiry, &QDateEdit::dateChanged, this, &CreateKeyDialog::validate);
    connect(m_label, &QLineEdit::textChanged, this, &CreateKeyDialog::validate);
    validate();
}

NewKeyRequest CreateKeyDialog::request() const
{
    NewKeyRequest r;
    r.name = m_label->text().trimmed();
    for (auto it = m_scopes.cbegin(); it != m_scopes.cend(); ++it)
        if (it.value()->isChecked())
            r.scopes |= it.key();
    r.tier = protocol::Tier(m_tier->currentData().toInt());
    if (m_expires->isChecked())
        r.expiresAtMs = QDateTime(m_expiry->date(), QTime(23, 59, 59)).toMSecsSinceEpoch();
    return r;
}

void CreateKeyDialog::validate()
{
    const auto problem = ApiKeysViewModel::validate(request(), m_clock.nowMs());
    m_problem->setText(problem.value_or(QString()));
    m_ok->setEnabled(!problem);
}

} // namespace signiq::console
