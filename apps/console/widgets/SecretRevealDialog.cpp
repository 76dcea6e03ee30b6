#include "SecretRevealDialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace signiq::console {

SecretRevealDialog::SecretRevealDialog(const IssuedKey &key, bool rotated, int overlapDays, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(rotated ? tr("Key rotated") : tr("Key created"));
    setMinimumWidth(620);
    auto *layout = new QVBoxLayout(this);
    auto *warning = new QLabel(tr("<b>Copy this secret now.</b> It is shown only once: the device keeps only a hash of it and "
                                  "cannot show it again. Store it in a password manager, never in a ticket or chat."),
                               this);
    warning->setWordWrap(true);
    warning->setObjectName(QStringLiteral("warning"));
    warning->setStyleSheet(QStringLiteral("QLabel { color: #664d03; background: #fff3cd; padding: 8px; }"));
    layout->addWidget(warning);
    layout->addWidget(new QLabel(tr("Key ID: %1").arg(key.info.keyId), this));
    if (rotated) {
        auto *overlap = new QLabel(overlapDays > 0 ? tr("The previous secret stays valid for %n day(s).", nullptr, overlapDays)
                                                   : tr("The previous secret stopped working immediately."),
                                   this);
        layout->addWidget(overlap);
    }
    auto *row = new QHBoxLayout;
    m_secret = new QLineEdit(key.token, this);
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copy = new QPushButton(tr("Copy"), this);
    row->addWidget(m_secret, 1);
    row->addWidget(m_copy);
    layout->addLayout(row);
    m_copied = new QLabel(this);
    layout->addWidget(m_copied);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_secret->text());
        m_copied->setText(tr("Copied to the clipboard. Clear the clipboard after pasting it."));
    });
}

void SecretRevealDialog::done(int result)
{
    m_secret->clear();
    QDialog::done(result);
}

} // namespace signiq::console
