#include "settings/ConsoleSettings.h"
#include "settings/Translations.h"

#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestConsoleSettings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_qsettings;

private slots:
    void init()
    {
        m_qsettings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("%1.ini").arg(QString::fromLatin1(QTest::currentTestFunction()))),
                                                  QSettings::IniFormat);
        m_qsettings->clear();
    }

    void defaults()
    {
        ConsoleSettings s(*m_qsettings);
        QVERIFY(s.validate().ok());
        QCOMPARE(s.language(), QStringLiteral("system"));
        QCOMPARE(s.dashboardRange(), QStringLiteral("7d"));
        QCOMPARE(s.secretBackend(), QStringLiteral("auto"));
        QVERIFY(s.deploymentCa().isEmpty());
    }

    void invalidValueNamesTheKey()
    {
        m_qsettings->setValue(QStringLiteral("ui/language"), QStringLiteral("klingon"));
        ConsoleSettings s(*m_qsettings);
        const core::Status valid = s.validate();
        QVERIFY(!valid.ok());
        QVERIFY(valid.error().message.startsWith(QStringLiteral("ui/language:")));
        QCOMPARE(s.language(), QStringLiteral("system")); // the default is used meanwhile
        QCOMPARE(s.resetInvalid(), QStringList{QStringLiteral("ui/language")});
        QVERIFY(s.validate().ok());
    }

    void setValueValidates()
    {
        ConsoleSettings s(*m_qsettings);
        QVERIFY(s.setValue(ConsoleSettings::Key::Language, QStringLiteral("de")).ok());
        QCOMPARE(s.language(), QStringLiteral("de"));
        QVERIFY(!s.setValue(ConsoleSettings::Key::DashboardRange, QStringLiteral("1y")).ok());
        QCOMPARE(s.dashboardRange(), QStringLiteral("7d"));
    }

    void languageResolution_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QStringList>("system");
        QTest::addColumn<QString>("expected");
        QTest::newRow("explicit") << QStringLiteral("fr") << QStringList{QStringLiteral("de-DE")} << QStringLiteral("fr");
        QTest::newRow("system de") << QStringLiteral("system") << QStringList{QStringLiteral("de-AT"), QStringLiteral("en")} << QStringLiteral("de");
        QTest::newRow("system fr_CA") << QStringLiteral("system") << QStringList{QStringLiteral("fr_CA")} << QStringLiteral("fr");
        QTest::newRow("first supported") << QStringLiteral("system") << QStringList{QStringLiteral("it-IT"), QStringLiteral("fr-FR")} << QStringLiteral("fr");
        QTest::newRow("unsupported") << QStringLiteral("system") << QStringList{QStringLiteral("ja-JP")} << QStringLiteral("en");
    }
    void languageResolution()
    {
        QFETCH(QString, setting);
        QFETCH(QStringList, system);
        QFETCH(QString, expected);
        QCOMPARE(Translations::resolve(setting, system), expected);
    }
};

QTEST_GUILESS_MAIN(TestConsoleSettings)
#include "TestConsoleSettings.moc"
