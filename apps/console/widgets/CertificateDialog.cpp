#include "CertificateDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace signiq::console {

CertificateDialog::CertificateDialog(const PendingDevice &pending, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Verify the device certificate"));
    setMinimumWidth(640);
    const TrustAssessment &a = pending.assessment;
    auto *layout = new QVBoxLayout(this);

    auto *headline = new QLabel(this);
    headline->setWordWrap(true);
    headline->setObjectName(QStringLiteral("headline"));
    if (a.verdict == TrustVerdict::Changed) {
        headline->setText(tr("<b>Warning: the certificate of %1 has CHANGED.</b> This happens when the device was "
                             "reinstalled — or when someone intercepts the connection. Only continue if the device's "
                             "administrator confirms the new fingerprint below.")
                              .arg(pending.address.toString().toHtmlEscaped()));
        headline->setStyleSheet(QStringLiteral("QLabel { color: #842029; background: #f8d7da; padding: 8px; }"));
    } else {
        headline->setText(tr("<b>First connection to “%1” (%2).</b> The device is not vouched for by a deployment CA. "
                             "Compare the fingerprint below with the one shown on the device before you trust it.")
                              .arg(pending.name.toHtmlEscaped(), pending.address.toString().toHtmlEscaped()));
    }
    layout->addWidget(headline);

    m_fingerprint = CertificateTrust::formatFingerprint(a.leafSha256());
    auto *fingerprintTitle = new QLabel(tr("SHA-256 fingerprint of the device certificate:"), this);
    auto *fingerprint = new QLabel(m_fingerprint, this);
    fingerprint->setObjectName(QStringLiteral("fingerprint"));
    fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fingerprint->setWordWrap(true);
    layout->addWidget(fingerprintTitle);
    layout->addWidget(fingerprint);

    if (a.expired)
        layout->addWidget(new QLabel(tr("The certificate is outside its validity period."), this));
    if (!a.caProblem.isEmpty())
        layout->addWidget(new QLabel(tr("Deployment CA check: %1").arg(a.caProblem), this));
    if (!pending.tlsProtocol.isEmpty())
        layout->addWidget(new QLabel(tr("Connection: %1").arg(pending.tlsProtocol), this));

    auto *chain = new QTreeWidget(this);
    chain->setObjectName(QStringLiteral("chain"));
    chain->setHeaderLabels({tr("Certificate chain"), tr("Value")});
    const QLocale locale;
    for (int i = 0; i < a.chain.size(); ++i) {
        const CertificateDetails &d = a.chain.at(i);
        auto *item = new QTreeWidgetItem(chain, {i == 0 ? tr("Device: %1").arg(d.subject) : tr("Issuer: %1").arg(d.subject)});
        new QTreeWidgetItem(item, {tr("Issued by"), d.issuer + (d.selfSigned ? tr(" (self-signed)") : QString())});
        new QTreeWidgetItem(item, {tr("Valid from"), locale.toString(QDateTime::fromMSecsSinceEpoch(d.notBeforeMs), QLocale::ShortFormat)});
        new QTreeWidgetItem(item, {tr("Valid until"), locale.toString(QDateTime::fromMSecsSinceEpoch(d.notAfterMs), QLocale::ShortFormat)});
        if (!d.names.isEmpty())
            new QTreeWidgetItem(item, {tr("Names"), d.names.join(QStringLiteral(", "))});
        new QTreeWidgetItem(item, {tr("SHA-256"), CertificateTrust::formatFingerprint(d.sha256)});
        item->setExpanded(true);
    }
    chain->resizeColumnToContents(0);
    layout->addWidget(chain, 1);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *trust = buttons->addButton(tr("Trust this certificate"), QDialogButtonBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trust"));
    buttons->addButton(QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

} // namespace signiq::console
