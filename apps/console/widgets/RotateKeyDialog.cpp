#include "RotateKeyDialog.h"

#include "keys/ApiKeysViewModel.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace signiq::console {

RotateKeyDialog::RotateKeyDialog(const QString &keyId, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Rotate API key"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("Rotating key %1 creates a new secret. During the overlap the old secret keeps working, so "
                               "that integrations can switch without downtime; with 0 days it stops at once.")
                                .arg(keyId),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *form = new QFormLayout;
    m_overlap = new QSpinBox(this);
    m_overlap->setRange(0, ApiKeysViewModel::MaxOverlapDays);
    m_overlap->setValue(1);
    m_overlap->setSuffix(tr(" day(s)"));
    form->addRow(tr("Overlap:"), m_overlap);
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Rotate"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

int RotateKeyDialog::overlapDays() const
{
    return m_overlap->value();
}

} // namespace signiq::console
