#include "AuditKeyDialog.h"

#include "audit/AuditPublicKey.h"
#include "client/ErrorText.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace signiq::console {

AuditKeyDialog::AuditKeyDialog(const QString &deviceName, const QString &pinnedKeyId, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Pin audit key"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("On “%1”, run “signiq-edge audit public-key --audit-key-file …” and paste the 64 hex characters "
                               "it prints, or load the file it writes with --out. Exports of this device are then checked "
                               "against this key only; compare the key ID below with the one the device reports.")
                                .arg(deviceName),
                            this);
    text->setWordWrap(true);
    layout->addWidget(text);
    auto *current = new QLabel(pinnedKeyId.isEmpty() ? tr("No audit key is pinned for this device yet.")
                                                     : tr("Pinned now: audit key %1. A different key replaces it.").arg(pinnedKeyId),
                               this);
    current->setWordWrap(true);
    layout->addWidget(current);
    auto *row = new QHBoxLayout;
    m_edit = new QLineEdit(this);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setPlaceholderText(tr("64 hex characters"));
    auto *load = new QPushButton(tr("Load from file…"), this);
    row->addWidget(m_edit, 1);
    row->addWidget(load);
    layout->addLayout(row);
    m_check = new QLabel(this);
    m_check->setWordWrap(true);
    m_check->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_check);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Pin"));
    layout->addWidget(buttons);
    resize(640, sizeHint().height());

    connect(m_edit, &QLineEdit::textChanged, this, &AuditKeyDialog::check);
    connect(load, &QPushButton::clicked, this, &AuditKeyDialog::chooseFile);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    check();
}

QString AuditKeyDialog::checkText() const
{
    return m_check->text();
}

void AuditKeyDialog::check()
{
    m_key.clear();
    if (m_edit->text().trimmed().isEmpty()) {
        m_check->setStyleSheet(QString());
        m_check->setText(tr("Paste the key or load its file."));
        m_ok->setEnabled(false);
        return;
    }
    const auto key = parseAuditPublicKey(m_edit->text());
    if (!key) {
        m_check->setStyleSheet(QStringLiteral("color: #b02a37;"));
        m_check->setText(tr("This is not an audit public key.") + u'\n' + key.error().message);
        m_ok->setEnabled(false);
        return;
    }
    m_key = key.value();
    m_check->setStyleSheet(QString());
    m_check->setText(tr("Key ID: %1").arg(auditKeyId(m_key)));
    m_ok->setEnabled(true);
}

void AuditKeyDialog::loadFile(const QString &path)
{
    const auto key = readAuditPublicKeyFile(path);
    if (!key) {
        m_key.clear();
        m_ok->setEnabled(false);
        m_check->setStyleSheet(QStringLiteral("color: #b02a37;"));
        m_check->setText(ErrorText::forFile(key.error()));
        return;
    }
    m_edit->setText(QString::fromLatin1(key->toHex())); // check() shows the key ID
}

void AuditKeyDialog::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load audit public key"), QString(),
                                                      tr("Audit public keys (*.pub);;All files (*)"));
    if (!path.isEmpty())
        loadFile(path);
}

} // namespace signiq::console
