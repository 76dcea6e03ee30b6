#include "DevicesPage.h"

#include "CertificateDialog.h"
#include "devices/DevicesViewModel.h"
#include "devices/SecretStoreSelector.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace signiq::console {

DevicesPage::DevicesPage(DevicesViewModel &model, SecretStore &secrets, QWidget *parent)
    : QWidget(parent), m_model(model), m_secrets(secrets)
{
    auto *layout = new QVBoxLayout(this);
    auto *addBox = new QGroupBox(tr("Add a device"), this);
    auto *form = new QFormLayout(addBox);
    m_name = new QLineEdit(addBox);
    m_name->setPlaceholderText(tr("e.g. Lobby screen"));
    m_address = new QLineEdit(addBox);
    m_address->setPlaceholderText(tr("host or host:port, e.g. 192.168.1.20:8443"));
    m_key = new QLineEdit(addBox);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("sq_live_…"));
    m_add = new QPushButton(tr("Connect and add"), addBox);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Address:"), m_address);
    form->addRow(tr("API key:"), m_key);
    form->addRow(QString(), m_add);
    layout->addWidget(addBox);

    m_table = new QTableView(this);
    m_table->setModel(m_model.model());
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    layout->addWidget(m_table, 1);

    auto *buttons = new QHBoxLayout;
    auto *use = new QPushButton(tr("Use selected device"), this);
    auto *check = new QPushButton(tr("Check status"), this);
    auto *changeKey = new QPushButton(tr("Change key…"), this);
    changeKey->setObjectName(QStringLiteral("changeKey"));
    auto *remove = new QPushButton(tr("Remove…"), this);
    remove->setObjectName(QStringLiteral("remove"));
    buttons->addWidget(use);
    buttons->addWidget(check);
    buttons->addWidget(changeKey);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_storage = new QLabel(this);
    m_storage->setObjectName(QStringLiteral("secretBackend"));
    m_storage->setWordWrap(true);
    layout->addWidget(m_storage);
    updateStorageText();
    if (auto *selector = dynamic_cast<SecretStoreSelector *>(&m_secrets))
        connect(selector, &SecretStoreSelector::backendChanged, this, &DevicesPage::updateStorageText);

    connect(m_add, &QPushButton::clicked, this, &DevicesPage::add);
    connect(use, &QPushButton::clicked, this, &DevicesPage::useSelected);
    connect(m_table, &QTableView::doubleClicked, this, &DevicesPage::useSelected);
    connect(check, &QPushButton::clicked, this, [this] {
        if (const QString id = selectedId(); !id.isEmpty())
            m_model.checkStatus(id);
    });
    connect(remove, &QPushButton::clicked, this, &DevicesPage::removeSelected);
    connect(changeKey, &QPushButton::clicked, this, &DevicesPage::askForNewKey);
    connect(&m_model, &DevicesViewModel::keyChanged, this, [this] {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("The new API key is in use and stored in: %1.").arg(m_secrets.backendName()));
    });
    connect(&m_model, &DevicesViewModel::certificateReviewRequested, this, &DevicesPage::showCertificate);
    connect(&m_model, &DevicesViewModel::failed, this, [this](const QString &message) {
        m_status->setText(message);
        m_status->setStyleSheet(QStringLiteral("color: #b02a37;"));
    });
    connect(&m_model, &DevicesViewModel::deviceAdded, this, [this] {
        m_name->clear();
        m_address->clear();
        m_key->clear();
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Device added."));
        updateStorageText();
    });
    connect(&m_model, &DevicesViewModel::busyChanged, m_add, &QPushButton::setDisabled);
}

QString DevicesPage::statusText() const
{
    return m_status->text();
}

QString DevicesPage::storageText() const
{
    return m_storage->text();
}

void DevicesPage::updateStorageText()
{
    if (auto *selector = dynamic_cast<SecretStoreSelector *>(&m_secrets))
        m_storage->setText(selector->explanation());
    else
        m_storage->setText(tr("API keys are stored in: %1").arg(m_secrets.backendName()));
}

void DevicesPage::add()
{
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Connecting…"));
    m_model.addDevice(m_name->text(), m_address->text(), m_key->text());
}

void DevicesPage::showCertificate(const PendingDevice &pending)
{
    auto *dialog = new CertificateDialog(pending, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this](int result) {
        if (result == QDialog::Accepted) {
            m_model.acceptCertificate();
        } else {
            m_model.rejectCertificate();
            m_status->setText(tr("The certificate was not trusted; the device was not added."));
        }
    });
    dialog->open();
}

QString DevicesPage::selectedId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_model.model()->deviceIdAt(rows.first().row());
}

void DevicesPage::useSelected()
{
    if (const QString id = selectedId(); !id.isEmpty())
        m_model.selectDevice(id);
}

void DevicesPage::askForNewKey()
{
    const QString id = selectedId();
    if (id.isEmpty()) {
        m_status->setText(tr("Select a device first."));
        return;
    }
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("changeKeyDialog"));
    dialog->setWindowTitle(tr("Change API key"));
    dialog->setLabelText(tr("The API key this console uses for the device (sq_live_…). It replaces the stored key."));
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &key) { m_model.changeKey(id, key); });
    dialog->open();
}

void DevicesPage::removeSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove device"),
                                tr("Remove this device from the console? Its API key is deleted from secure storage; the "
                                   "device itself is not changed."),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("removeConfirmation"));
    box->setDefaultButton(QMessageBox::No); // Enter keeps the device
    box->setEscapeButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, id](int result) {
        if (result == QMessageBox::Yes)
            m_model.removeDevice(id);
    });
    box->open();
}

} // namespace signiq::console
