#include "ApiKeysPage.h"

#include "CreateKeyDialog.h"
#include "RotateKeyDialog.h"
#include "SecretRevealDialog.h"
#include "keys/ApiKeysViewModel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace signiq::console {

ApiKeysPage::ApiKeysPage(ApiKeysViewModel &model, const core::Clock &clock, QWidget *parent)
    : QWidget(parent), m_model(model), m_clock(clock)
{
    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    auto *create = new QPushButton(tr("New key…"), this);
    auto *rotate = new QPushButton(tr("Rotate…"), this);
    auto *revoke = new QPushButton(tr("Revoke…"), this);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    create->setObjectName(QStringLiteral("create"));
    rotate->setObjectName(QStringLiteral("rotate"));
    revoke->setObjectName(QStringLiteral("revoke"));
    for (QPushButton *b : {create, rotate, revoke, refresh})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_table = new QTableView(this);
    m_table->setModel(m_model.model());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_table, 1);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    connect(create, &QPushButton::clicked, this, &ApiKeysPage::openCreateDialog);
    connect(rotate, &QPushButton::clicked, this, &ApiKeysPage::openRotateDialog);
    connect(revoke, &QPushButton::clicked, this, &ApiKeysPage::confirmRevoke);
    connect(refresh, &QPushButton::clicked, &m_model, &ApiKeysViewModel::refresh);
    connect(&m_model, &ApiKeysViewModel::keyIssued, this, &ApiKeysPage::showSecret);
    connect(&m_model, &ApiKeysViewModel::keyRevoked, this, [this](const QString &id) {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Key %1 was revoked; it stopped working immediately.").arg(id));
    });
    connect(&m_model, &ApiKeysViewModel::failed, this, [this](const QString &message) {
        m_status->setStyleSheet(QStringLiteral("color: #b02a37;"));
        m_status->setText(message);
    });
    connect(&m_model, &ApiKeysViewModel::busyChanged, this, [buttons = QList<QPushButton *>{create, rotate, revoke}](bool busy) {
        for (QPushButton *b : buttons)
            b->setDisabled(busy);
    });
}

QString ApiKeysPage::statusText() const
{
    return m_status->text();
}

QString ApiKeysPage::selectedKeyId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return rows.first().data(ApiKeyTableModel::KeyIdRole).toString();
}

void ApiKeysPage::openCreateDialog()
{
    auto *dialog = new CreateKeyDialog(m_clock, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { m_model.createKey(dialog->request()); });
    dialog->open();
}

void ApiKeysPage::openRotateDialog()
{
    const QString id = selectedKeyId();
    if (id.isEmpty()) {
        m_status->setText(tr("Select a key first."));
        return;
    }
    if (!m_model.isConsoleKey(id)) {
        showRotateDialog(id);
        return;
    }
    // The key this console signs in with: say what happens before anything is sent.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Rotate the console's own key"),
                                tr("Key %1 is the key this console uses for this device. After the rotation the console "
                                   "keeps the new secret in its secret store and uses it at once; other programs that use "
                                   "this key need the new secret too.")
                                    .arg(id),
                                QMessageBox::Ok | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("consoleKeyWarning"));
    box->button(QMessageBox::Ok)->setText(tr("Continue…"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, id](int result) {
        if (result == QMessageBox::Ok)
            showRotateDialog(id);
    });
    box->open();
}

void ApiKeysPage::showRotateDialog(const QString &id)
{
    auto *dialog = new RotateKeyDialog(id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, id] {
        m_lastOverlapDays = dialog->overlapDays();
        m_model.rotateKey(id, dialog->overlapDays());
    });
    dialog->open();
}

void ApiKeysPage::confirmRevoke()
{
    const QString id = selectedKeyId();
    if (id.isEmpty()) {
        m_status->setText(tr("Select a key first."));
        return;
    }
    QString text = tr("Revoke key %1? Every integration using it stops working immediately. This cannot be undone.").arg(id);
    if (m_model.isConsoleKey(id))
        text += u'\n' + tr("This is the key this console uses for this device: the device will refuse the console until "
                           "you enter another key (Devices → Change key…).");
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Revoke API key"), text, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("revokeConfirmation"));
    box->button(QMessageBox::Yes)->setText(tr("Revoke"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, id](int result) {
        if (result == QMessageBox::Yes)
            m_model.revokeKey(id);
    });
    box->open();
}

void ApiKeysPage::showSecret(const IssuedKey &key, bool rotated)
{
    m_status->setStyleSheet(QString());
    if (rotated && m_model.isConsoleKey(key.info.keyId))
        m_status->setText(tr("Key %1 was rotated. This console uses the new secret from now on and keeps it in its secret store.")
                              .arg(key.info.keyId));
    else
        m_status->setText(rotated ? tr("Key %1 was rotated.").arg(key.info.keyId) : tr("Key %1 was created.").arg(key.info.keyId));
    auto *dialog = new SecretRevealDialog(key, rotated, m_lastOverlapDays, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

} // namespace signiq::console
