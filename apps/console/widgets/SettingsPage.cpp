#include "SettingsPage.h"

#include "client/ErrorText.h"
#include "devices/CertificateTrust.h"
#include "devices/SecretStoreSelector.h"
#include "settings/ConsoleSettings.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace signiq::console {

SettingsPage::SettingsPage(ConsoleSettings &settings, CertificateTrust &trust, SecretStoreSelector &secrets, QWidget *parent)
    : QWidget(parent), m_settings(settings), m_trust(trust), m_secrets(secrets)
{
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_language = new QComboBox(this);
    m_language->addItem(tr("System language"), QStringLiteral("system"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(m_settings.language())));
    form->addRow(tr("Language:"), m_language);

    m_range = new QComboBox(this);
    m_range->addItem(tr("Today"), QStringLiteral("today"));
    m_range->addItem(tr("Last 7 days"), QStringLiteral("7d"));
    m_range->addItem(tr("Last 30 days"), QStringLiteral("30d"));
    m_range->setCurrentIndex(std::max(0, m_range->findData(m_settings.dashboardRange())));
    form->addRow(tr("Default dashboard range:"), m_range);

    auto *caRow = new QHBoxLayout;
    m_ca = new QLineEdit(m_settings.deploymentCa(), this);
    m_ca->setPlaceholderText(tr("none: every device's fingerprint is confirmed on first connection"));
    auto *browse = new QPushButton(tr("Choose…"), this);
    auto *apply = new QPushButton(tr("Apply"), this);
    caRow->addWidget(m_ca, 1);
    caRow->addWidget(browse);
    caRow->addWidget(apply);
    form->addRow(tr("Deployment CA certificate:"), caRow);
    m_secretStore = new QComboBox(this);
    m_secretStore->addItem(tr("Automatic (keychain, else encrypted file)"), QStringLiteral("auto"));
    m_secretStore->addItem(tr("System keychain only"), QStringLiteral("keychain"));
    m_secretStore->addItem(tr("Encrypted file"), QStringLiteral("file"));
    m_secretStore->setCurrentIndex(std::max(0, m_secretStore->findData(SecretStoreSelector::choiceName(m_secrets.choice()))));
    m_secretStoreText = new QLabel(m_secrets.explanation(), this);
    m_secretStoreText->setObjectName(QStringLiteral("secretStoreExplanation"));
    m_secretStoreText->setWordWrap(true);
    auto *storeColumn = new QVBoxLayout;
    storeColumn->addWidget(m_secretStore);
    storeColumn->addWidget(m_secretStoreText);
    form->addRow(tr("API keys stored in:"), storeColumn);
    form->addRow(tr("Version:"), new QLabel(QStringLiteral(SIGNIQ_VERSION), this));
    layout->addLayout(form);
    m_notice = new QLabel(this);
    m_notice->setWordWrap(true);
    m_notice->setObjectName(QStringLiteral("notice"));
    layout->addWidget(m_notice);
    layout->addStretch(1);

    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        if (const core::Status s = m_settings.setValue(ConsoleSettings::Key::Language, m_language->currentData()); !s)
            m_notice->setText(s.error().message);
        else
            m_notice->setText(tr("The language changes the next time you start the console."));
    });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        (void)m_settings.setValue(ConsoleSettings::Key::DashboardRange, m_range->currentData());
        m_notice->setText(tr("Saved. The dashboard opens with this range from the next start."));
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Deployment CA certificate"), QString(),
                                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!path.isEmpty()) {
            m_ca->setText(path);
            applyCa();
        }
    });
    connect(apply, &QPushButton::clicked, this, &SettingsPage::applyCa);
    connect(m_secretStore, &QComboBox::currentIndexChanged, this, &SettingsPage::applySecretStore);
    connect(&m_secrets, &SecretStoreSelector::backendChanged, this,
            [this] { m_secretStoreText->setText(m_secrets.explanation()); });
}

QString SettingsPage::secretStoreText() const
{
    return m_secretStoreText->text();
}

void SettingsPage::applySecretStore()
{
    const auto choice = SecretStoreSelector::parseChoice(m_secretStore->currentData().toString());
    if (!choice)
        return;
    if (const core::Status s = m_settings.setValue(ConsoleSettings::Key::SecretBackend, m_secretStore->currentData()); !s) {
        m_notice->setText(s.error().message);
        return;
    }
    m_secrets.setChoice(*choice);
    m_notice->setText(tr("Saved. New API keys go to: %1. Keys stored before stay readable.").arg(m_secrets.backendName()));
}

QString SettingsPage::noticeText() const
{
    return m_notice->text();
}

void SettingsPage::applyCa()
{
    const QString path = m_ca->text().trimmed();
    if (const core::Status loaded = m_trust.loadDeploymentCa(path); !loaded) {
        m_notice->setText(ErrorText::forFile(loaded.error()));
        return;
    }
    (void)m_settings.setValue(ConsoleSettings::Key::DeploymentCa, path);
    m_notice->setText(path.isEmpty() ? tr("No deployment CA: new devices are trusted only after you compare their fingerprint.")
                                     : tr("Devices with a certificate from this CA are trusted without a prompt."));
}

} // namespace signiq::console
