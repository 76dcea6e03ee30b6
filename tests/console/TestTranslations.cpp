#include "settings/Translations.h"

#include <QCoreApplication>
#include <QFile>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace signiq::console;

// Every user-visible string of the console has a real German and French translation, and the
// compiled catalogues load and translate.
class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void catalogueIsComplete_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("de") << QStringLiteral("de");
        QTest::newRow("fr") << QStringLiteral("fr");
    }
    void catalogueIsComplete()
    {
        QFETCH(QString, language);
        QFile file(QStringLiteral(SIGNIQ_SOURCE_DIR "/translations/signiq_console_%1.ts").arg(language));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        int messages = 0;
        QStringList problems;
        QString source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            if (xml.name() == QLatin1StringView("source")) {
                source = xml.readElementText();
            } else if (xml.name() == QLatin1StringView("translation")) {
                ++messages;
                const QString type = xml.attributes().value(QLatin1StringView("type")).toString();
                if (!type.isEmpty())
                    problems << QStringLiteral("%1 (%2)").arg(source, type);
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (text.trimmed().isEmpty())
                    problems << QStringLiteral("%1 (empty)").arg(source);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(messages > 150, qPrintable(QString::number(messages)));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QStringLiteral("\n"))));
    }

    void compiledCataloguesTranslate_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("refresh");
        QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("Aktualisieren");
        QTest::newRow("fr") << QStringLiteral("fr") << QStringLiteral("Actualiser");
    }
    void compiledCataloguesTranslate()
    {
        QFETCH(QString, language);
        QFETCH(QString, refresh);
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/signiq_console_%1.qm").arg(language)));
        QCOMPARE(translator.translate("signiq::console::DashboardPage", "Refresh"), refresh);
        QVERIFY(!translator.translate("ErrorText", "The device rejected the request.").isEmpty());
        // Plural forms are compiled too.
        QVERIFY(translator.translate("signiq::console::AuditPage", "%n entries.", nullptr, 2).contains(QStringLiteral("%n")));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "TestTranslations.moc"
