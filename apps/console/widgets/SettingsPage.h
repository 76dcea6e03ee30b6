#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace signiq::console {

class CertificateTrust;
class ConsoleSettings;
class SecretStore;

// Language (after restart), default dashboard range, deployment CA, where keys are stored.
class SettingsPage : public QWidget {
    Q_OBJECT

public:
    SettingsPage(ConsoleSettings &settings, CertificateTrust &trust, SecretStore &secrets, QWidget *parent = nullptr);

    QComboBox *languageBox() const { return m_language; }
    QString noticeText() const;

private:
    void applyCa();

    ConsoleSettings &m_settings;
    CertificateTrust &m_trust;
    QComboBox *m_language = nullptr;
    QComboBox *m_range = nullptr;
    QLineEdit *m_ca = nullptr;
    QLabel *m_notice = nullptr;
};

} // namespace signiq::console
