#include "settings/Translations.h"

#include "ConsoleLog.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

namespace signiq::console {

QStringList Translations::available()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
}

QString Translations::resolve(const QString &setting, const QStringList &systemUiLanguages)
{
    if (available().contains(setting))
        return setting;
    for (const QString &language : systemUiLanguages) {
        const QString code = language.section(u'-', 0, 0).section(u'_', 0, 0).toLower();
        if (available().contains(code))
            return code;
    }
    return QStringLiteral("en");
}

bool Translations::install(QCoreApplication &app, const QString &language)
{
    if (language == QStringLiteral("en"))
        return true;
    auto *console = new QTranslator(&app);
    if (!console->load(QStringLiteral(":/i18n/signiq_console_%1.qm").arg(language))) {
        qCWarning(lcConsole) << "no console translation for" << language;
        delete console;
        return false;
    }
    QCoreApplication::installTranslator(console);
    auto *qt = new QTranslator(&app);
    if (qt->load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    qCInfo(lcConsole) << "language" << language;
    return true;
}

} // namespace signiq::console
