#include "AuditPage.h"

#include "AuditKeyDialog.h"
#include "audit/AuditPublicKey.h"
#include "audit/AuditViewModel.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace signiq::console {

namespace {
QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    return table;
}
} // namespace

AuditPage::AuditPage(AuditViewModel &model, QWidget *parent) : QWidget(parent), m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    const QDateTime now = QDateTime::currentDateTime();
    m_from = new QDateTimeEdit(now.addDays(-30), this);
    m_to = new QDateTimeEdit(now.addDays(1), this);
    m_from->setCalendarPopup(true);
    m_to->setCalendarPopup(true);
    m_actor = new QLineEdit(this);
    m_actor->setPlaceholderText(tr("any actor (key ID, cli, system)"));
    m_action = new QComboBox(this);
    m_action->setEditable(true);
    m_action->addItem(tr("any action"), QString());
    for (const char *prefix : {"key.", "zones.", "calibration.", "overlay.", "audit.", "windows.", "auth."})
        m_action->addItem(QString::fromLatin1(prefix), QString::fromLatin1(prefix));
    auto *apply = new QPushButton(tr("Apply filters"), this);
    filters->addWidget(new QLabel(tr("From:"), this));
    filters->addWidget(m_from);
    filters->addWidget(new QLabel(tr("to"), this));
    filters->addWidget(m_to);
    filters->addWidget(new QLabel(tr("Actor:"), this));
    filters->addWidget(m_actor, 1);
    filters->addWidget(new QLabel(tr("Action:"), this));
    filters->addWidget(m_action);
    filters->addWidget(apply);
    layout->addLayout(filters);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    m_table = makeTable(m_model.entries(), top);
    topLayout->addWidget(m_table, 1);
    auto *exportRow = new QHBoxLayout;
    auto *jsonl = new QPushButton(tr("Export JSON lines…"), top);
    auto *csv = new QPushButton(tr("Export CSV…"), top);
    exportRow->addWidget(jsonl);
    exportRow->addWidget(csv);
    exportRow->addWidget(new QLabel(tr("Exports contain every entry of the time range with its hash chain."), top), 1);
    topLayout->addLayout(exportRow);
    m_status = new QLabel(top);
    m_status->setWordWrap(true);
    topLayout->addWidget(m_status);

    auto *verifyBox = new QGroupBox(tr("Verify an exported file (offline)"), splitter);
    auto *verifyLayout = new QVBoxLayout(verifyBox);
    auto *keyRow = new QHBoxLayout;
    m_auditKey = new QLabel(verifyBox);
    m_auditKey->setWordWrap(true);
    m_auditKey->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_auditKey->setObjectName(QStringLiteral("auditKey"));
    m_pin = new QPushButton(tr("Pin audit key…"), verifyBox);
    m_clearPin = new QPushButton(tr("Clear pin…"), verifyBox);
    keyRow->addWidget(m_auditKey, 1);
    keyRow->addWidget(m_pin);
    keyRow->addWidget(m_clearPin);
    verifyLayout->addLayout(keyRow);
    auto *verifyRow = new QHBoxLayout;
    auto *verify = new QPushButton(tr("Open and verify…"), verifyBox);
    verifyRow->addWidget(verify);
    m_verification = new QLabel(tr("No file checked yet."), verifyBox);
    m_verification->setWordWrap(true);
    m_verification->setObjectName(QStringLiteral("verification"));
    verifyRow->addWidget(m_verification, 1);
    verifyLayout->addLayout(verifyRow);
    m_verifiedTable = makeTable(m_model.verifiedEntries(), verifyBox);
    verifyLayout->addWidget(m_verifiedTable, 1);
    splitter->addWidget(top);
    splitter->addWidget(verifyBox);
    layout->addWidget(splitter, 1);

    m_model.setQuery(queryFromControls()); // the first load shows what the controls say
    connect(apply, &QPushButton::clicked, this, &AuditPage::applyFilters);
    connect(m_actor, &QLineEdit::returnPressed, this, &AuditPage::applyFilters);
    connect(jsonl, &QPushButton::clicked, this, [this] { chooseExport(AuditExportFormat::JsonLines); });
    connect(csv, &QPushButton::clicked, this, [this] { chooseExport(AuditExportFormat::Csv); });
    connect(verify, &QPushButton::clicked, this, &AuditPage::chooseVerify);
    connect(m_pin, &QPushButton::clicked, this, &AuditPage::openPinDialog);
    connect(m_clearPin, &QPushButton::clicked, this, &AuditPage::confirmClearPin);
    connect(&m_model, &AuditViewModel::auditKeyChanged, this, &AuditPage::showAuditKey);
    showAuditKey();
    connect(&m_model, &AuditViewModel::loaded, this, [this](int count) {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("%n entries.", nullptr, count));
    });
    connect(&m_model, &AuditViewModel::exported, this, [this](const QString &path, int bytes) {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Exported %1 bytes to %2.").arg(bytes).arg(path));
    });
    connect(&m_model, &AuditViewModel::failed, this, [this](const QString &message) {
        m_status->setStyleSheet(QStringLiteral("color: #b02a37;"));
        m_status->setText(message);
    });
    connect(&m_model, &AuditViewModel::verified, this, [this](const QString &summary, bool intact) {
        m_verification->setText(summary);
        m_verification->setStyleSheet(intact ? QStringLiteral("QLabel { color: #0f5132; background: #d1e7dd; padding: 6px; }")
                                             : QStringLiteral("QLabel { color: #842029; background: #f8d7da; padding: 6px; }"));
        if (const auto index = m_model.verifiedEntries()->breakIndex()) {
            m_verifiedTable->selectRow(int(*index));
            m_verifiedTable->scrollTo(m_model.verifiedEntries()->index(int(*index), 0), QAbstractItemView::PositionAtCenter);
        }
    });
}

QString AuditPage::verificationText() const
{
    return m_verification->text();
}

QString AuditPage::statusText() const
{
    return m_status->text();
}

QString AuditPage::auditKeyText() const
{
    return m_auditKey->text();
}

void AuditPage::showAuditKey()
{
    const QString keyId = m_model.auditKeyId();
    if (!keyId.isEmpty())
        m_auditKey->setText(tr("Audit key used for verification: %1 (key ID %2).")
                                .arg(QString::fromLatin1(m_model.auditPublicKey().toHex()), keyId));
    else if (m_model.canPinAuditKey())
        m_auditKey->setText(tr("No audit key is pinned for this device: files can be checked as a chain, but not proved "
                               "intact. Pin the key that “signiq-edge audit public-key” prints on the device."));
    else
        m_auditKey->setText(tr("No audit key: select a device on the Devices page to pin its key."));
    m_pin->setEnabled(m_model.canPinAuditKey());
    m_clearPin->setEnabled(m_model.canPinAuditKey() && !keyId.isEmpty());
}

void AuditPage::openPinDialog()
{
    if (!m_model.canPinAuditKey())
        return;
    auto *dialog = new AuditKeyDialog(m_model.deviceName(), m_model.auditKeyId(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { pinWithConfirmation(dialog->publicKey()); });
    dialog->open();
}

void AuditPage::pinWithConfirmation(const QByteArray &publicKey)
{
    if (!m_model.pinReplacesAnotherKey(publicKey)) {
        (void)m_model.pinAuditKey(publicKey); // a refusal arrives as failed()
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Replace the pinned audit key"),
                                tr("“%1” has audit key %2 pinned; the new key is %3. Replace it only when the device's audit "
                                   "key really changed (a new device, “signiq-edge audit adopt”) and you compared the new key "
                                   "ID on the device itself: with a wrong key, a rewritten log would verify as intact.")
                                    .arg(m_model.deviceName(), m_model.auditKeyId(), auditKeyId(publicKey)),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, publicKey](int result) {
        if (result == QMessageBox::Yes)
            (void)m_model.pinAuditKey(publicKey);
    });
    box->open();
}

void AuditPage::confirmClearPin()
{
    if (!m_model.canPinAuditKey() || m_model.auditKeyId().isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Clear the pinned audit key"),
                                tr("Clear audit key %1 of “%2”? Exports of this device can then no longer be proved intact, "
                                   "only checked as a chain.")
                                    .arg(m_model.auditKeyId(), m_model.deviceName()),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setDefaultButton(QMessageBox::No);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int result) {
        if (result == QMessageBox::Yes)
            (void)m_model.clearAuditKey();
    });
    box->open();
}

void AuditPage::applyFilters()
{
    m_model.setQuery(queryFromControls());
    m_model.refresh();
}

AuditQuery AuditPage::queryFromControls() const
{
    AuditQuery query;
    query.fromMs = m_from->dateTime().toMSecsSinceEpoch();
    query.toMs = m_to->dateTime().toMSecsSinceEpoch();
    query.actor = m_actor->text().trimmed();
    const QString action = m_action->currentIndex() == 0 && m_action->currentText() == m_action->itemText(0)
                               ? QString()
                               : m_action->currentText().trimmed();
    query.action = action;
    return query;
}

void AuditPage::chooseExport(AuditExportFormat format)
{
    const bool csv = format == AuditExportFormat::Csv;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export audit log"),
                                                      csv ? QStringLiteral("audit.csv") : QStringLiteral("audit.jsonl"),
                                                      csv ? tr("CSV files (*.csv)") : tr("JSON lines (*.jsonl)"));
    if (!path.isEmpty())
        m_model.exportTo(path, format);
}

void AuditPage::chooseVerify()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Verify audit export"), QString(),
                                                      tr("Audit exports (*.jsonl *.csv);;All files (*)"));
    if (!path.isEmpty()) {
        m_verification->setStyleSheet(QString());
        m_verification->setText(tr("Verifying…"));
        m_model.verifyFile(path);
    }
}

} // namespace signiq::console
