#pragma once

#include "core/Result.h"

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace signiq::console {

// Every console setting in one typed table with defaults and validation (KeePassXC
// Config.cpp style). Stored in QSettings (per user); no secrets here.
class ConsoleSettings {
public:
    enum class Key { Language, DashboardRange, DeploymentCa, SecretBackend, LastDevice };

    struct Directive {
        Key key;
        QString name;         // QSettings key
        QVariant defaultValue;
        QStringList allowed;  // empty: any string
    };
    static const QList<Directive> &directives();

    explicit ConsoleSettings(QSettings &settings);

    // Checks every stored value; the first invalid one is an InvalidArgument error that names
    // the key, the value and what is allowed. resetInvalid() puts such keys back to defaults.
    [[nodiscard]] core::Status validate() const;
    QStringList resetInvalid();

    QVariant value(Key key) const;
    [[nodiscard]] core::Status setValue(Key key, const QVariant &value);

    QString language() const { return value(Key::Language).toString(); }           // system|en|de|fr
    QString dashboardRange() const { return value(Key::DashboardRange).toString(); } // today|7d|30d
    QString deploymentCa() const { return value(Key::DeploymentCa).toString(); }     // PEM path or empty
    QString secretBackend() const { return value(Key::SecretBackend).toString(); }   // auto|keychain|file
    QString lastDevice() const { return value(Key::LastDevice).toString(); }         // registry id or empty

private:
    static const Directive &directive(Key key);
    static std::optional<QString> problem(const Directive &d, const QVariant &value);

    QSettings &m_settings;
};

} // namespace signiq::console
