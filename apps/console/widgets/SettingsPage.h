#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace signiq::console {

class CertificateTrust;
class ConsoleSettings;
class SecretStoreSelector;

// Language (after restart), default dashboard range, deployment CA, where keys are stored (switch).
class SettingsPage : public QWidget {
    Q_OBJECT

public:
    SettingsPage(ConsoleSettings &settings, CertificateTrust &trust, SecretStoreSelector &secrets, QWidget *parent = nullptr);

    QComboBox *languageBox() const { return m_language; }
    QComboBox *secretStoreBox() const { return m_secretStore; }
    QString secretStoreText() const;
    QString noticeText() const;

private:
    void applyCa();

    void applySecretStore();

    ConsoleSettings &m_settings;
    CertificateTrust &m_trust;
    SecretStoreSelector &m_secrets;
    QComboBox *m_secretStore = nullptr;
    QLabel *m_secretStoreText = nullptr;
    QComboBox *m_language = nullptr;
    QComboBox *m_range = nullptr;
    QLineEdit *m_ca = nullptr;
    QLabel *m_notice = nullptr;
};

} // namespace signiq::console
