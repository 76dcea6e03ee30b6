#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace signiq::console {

// The console's languages: English source strings, German and French catalogues compiled into
// the executable under :/i18n/signiq_console_<lang>.qm.
class Translations {
public:
    static QStringList available(); // "en", "de", "fr"

    // The language to use for a setting ("system", "en", "de", "fr") and the system's UI
    // languages in order of preference (QLocale::uiLanguages()): the first supported one, else "en".
    static QString resolve(const QString &setting, const QStringList &systemUiLanguages);

    // Installs the console catalogue (and Qt's own, for standard dialogs) for `language` into the
    // application. Returns false when a catalogue is missing (the UI stays English).
    static bool install(QCoreApplication &app, const QString &language);
};

} // namespace signiq::console
