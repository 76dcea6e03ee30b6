#include "settings/ConsoleSettings.h"

namespace signiq::console {

const QList<ConsoleSettings::Directive> &ConsoleSettings::directives()
{
    static const QList<Directive> table = {
        {Key::Language, QStringLiteral("ui/language"), QStringLiteral("system"),
         {QStringLiteral("system"), QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")}},
        {Key::DashboardRange, QStringLiteral("dashboard/range"), QStringLiteral("7d"),
         {QStringLiteral("today"), QStringLiteral("7d"), QStringLiteral("30d")}},
        {Key::DeploymentCa, QStringLiteral("devices/deployment_ca"), QString(), {}},
        {Key::SecretBackend, QStringLiteral("secrets/backend"), QStringLiteral("auto"),
         {QStringLiteral("auto"), QStringLiteral("keychain"), QStringLiteral("file")}},
        {Key::LastDevice, QStringLiteral("devices/last"), QString(), {}}, // selected again at the next start
    };
    return table;
}

const ConsoleSettings::Directive &ConsoleSettings::directive(Key key)
{
    for (const Directive &d : directives())
        if (d.key == key)
            return d;
    Q_UNREACHABLE();
}

ConsoleSettings::ConsoleSettings(QSettings &settings) : m_settings(settings) {}

std::optional<QString> ConsoleSettings::problem(const Directive &d, const QVariant &value)
{
    if (!value.canConvert<QString>())
        return QStringLiteral("%1: must be a string").arg(d.name);
    if (!d.allowed.isEmpty() && !d.allowed.contains(value.toString()))
        return QStringLiteral("%1: '%2' is not one of %3").arg(d.name, value.toString(), d.allowed.join(QStringLiteral(", ")));
    return std::nullopt;
}

core::Status ConsoleSettings::validate() const
{
    for (const Directive &d : directives()) {
        if (!m_settings.contains(d.name))
            continue;
        if (auto p = problem(d, m_settings.value(d.name)))
            return core::makeError(core::ErrorCode::InvalidArgument, *p);
    }
    return {};
}

QStringList ConsoleSettings::resetInvalid()
{
    QStringList reset;
    for (const Directive &d : directives())
        if (m_settings.contains(d.name) && problem(d, m_settings.value(d.name))) {
            m_settings.remove(d.name);
            reset.append(d.name);
        }
    return reset;
}

QVariant ConsoleSettings::value(Key key) const
{
    const Directive &d = directive(key);
    const QVariant stored = m_settings.value(d.name, d.defaultValue);
    return problem(d, stored) ? d.defaultValue : stored;
}

core::Status ConsoleSettings::setValue(Key key, const QVariant &value)
{
    const Directive &d = directive(key);
    if (auto p = problem(d, value))
        return core::makeError(core::ErrorCode::InvalidArgument, *p);
    m_settings.setValue(d.name, value);
    return {};
}

} // namespace signiq::console
