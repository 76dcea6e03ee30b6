#include "ChartCard.h"
#include "ConsoleTestData.h"
#include "DashboardPage.h"
#include "MatrixView.h"
#include "client/FakeDeviceClient.h"
#include "crypto/SecureFile.h"
#include "dashboard/DashboardViewModel.h"
#include "devices/DeviceSession.h"

#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace signiq;
using namespace signiq::console;
using namespace signiq::console::testdata;

class TestDashboardPage : public QObject {
    Q_OBJECT

private:
    // "Now" is Thursday noon; 7 days back covers the test data.
    core::ManualClock m_clock{Monday + 3 * DayMs + 12 * HourMs};
    std::unique_ptr<FakeDeviceClient> m_device;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<DashboardViewModel> m_model;
    std::unique_ptr<DashboardPage> m_page;

private slots:
    void init()
    {
        m_device = std::make_unique<FakeDeviceClient>(m_clock);
        QList<core::AudienceWindow> windows;
        for (int m = 0; m < 3 * 1440; ++m) {
            windows << window(QStringLiteral("entrance"), Monday + m * MinuteMs, 2, 0.5);
            windows << window(QStringLiteral("shelf"), Monday + m * MinuteMs, 1, 0.25);
        }
        m_device->setWindows(windows);
        core::DemographicWindow d;
        d.zone = QStringLiteral("entrance");
        d.startMs = Monday;
        d.endMs = Monday + 5 * MinuteMs;
        d.counts[2][0] = 14;
        for (int a = 0; a < core::AgeBandCount; ++a)
            for (int g = 0; g < core::GenderCount; ++g)
                d.suppressed[std::size_t(a)][std::size_t(g)] = !(a == 2 && g == 0);
        m_device->setDemographicWindows({d});
        m_session = std::make_unique<DeviceSession>();
        m_model = std::make_unique<DashboardViewModel>(*m_session, m_clock);
        m_model->setTimeZone(QTimeZone::utc());
        m_page = std::make_unique<DashboardPage>(*m_model, *m_session);
        m_page->resize(1200, 900);
        m_page->show();
        m_session->setClient(m_device.get(), QStringLiteral("fake"));
    }
    void cleanup()
    {
        m_page.reset();
        m_session->clear();
        m_model.reset();
        m_device.reset();
    }

    void showsTheDeviceData()
    {
        QSignalSpy changed(m_model.get(), &DashboardViewModel::dataChanged);
        m_model->setRange(RangePreset::Last7Days);
        m_model->refresh();
        QVERIFY(changed.wait(10000));
        const DashboardData &data = m_model->data();
        QCOMPARE(data.windowCount, 2 * 3 * 1440);
        QCOMPARE(data.bucketMs, HourMs);
        QLineSeries *ots = m_page->otsSeries();
        QCOMPARE(ots->count(), int(data.buckets.size()));
        double sum = 0;
        for (const QPointF &p : ots->points())
            sum += p.y();
        QCOMPARE(qint64(sum), qint64(3 * 1440 * 3));
        QVERIFY(m_page->summaryText().contains(QStringLiteral("8,640")) || m_page->summaryText().contains(QStringLiteral("8640")));
        // Demographics: the one shown cell and suppressed cells drawn as such.
        MatrixView *demo = m_page->demographicsView();
        QCOMPARE(demo->rowCount(), core::AgeBandCount);
        QCOMPARE(demo->cell(2, 0).text, QStringLiteral("14"));
        QVERIFY(demo->cell(0, 0).suppressed);
        QCOMPARE(demo->cell(0, 0).text, QStringLiteral("suppressed"));
        // Zones from the device document and the data.
        QVERIFY(m_model->knownZones().contains(QStringLiteral("shelf")));
    }

    void zoneFilter()
    {
        QSignalSpy changed(m_model.get(), &DashboardViewModel::dataChanged);
        m_model->setZone(QStringLiteral("shelf"));
        m_model->refresh();
        QVERIFY(changed.wait(10000));
        QCOMPARE(m_model->data().windowCount, 3 * 1440);
        QCOMPARE(m_model->data().totalOts(), 3 * 1440);
    }

    void exportsEveryChart()
    {
        QSignalSpy changed(m_model.get(), &DashboardViewModel::dataChanged);
        m_model->refresh();
        QVERIFY(changed.wait(10000));
        QTemporaryDir dir;
        QCOMPARE(m_page->cards().size(), 8);
        for (ChartCard *card : m_page->cards()) {
            const QString csv = dir.filePath(card->fileStem() + QStringLiteral(".csv"));
            const QString png = dir.filePath(card->fileStem() + QStringLiteral(".png"));
            QVERIFY(card->exportCsv(csv).ok());
            QVERIFY(card->exportPng(png).ok());
            QCOMPARE(crypto::securefile::mode(csv), 0600); // audience data: owner only, as the command line writes
            QCOMPARE(crypto::securefile::mode(png), 0600);
            QFile f(csv);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(f.readLine().contains(','));
            QVERIFY(!QImage(png).isNull());
        }
    }

    void deviceErrorIsShownAndPageStaysUsable()
    {
        m_device->failNext(FakeDeviceClient::Operation::Windows, core::makeError(core::ErrorCode::Io, QStringLiteral("timeout")));
        QSignalSpy failed(m_model.get(), &DashboardViewModel::failed);
        m_model->refresh();
        QVERIFY(failed.wait());
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("cannot be reached")));
        QVERIFY(!m_model->isBusy());
        QSignalSpy changed(m_model.get(), &DashboardViewModel::dataChanged);
        m_model->refresh();
        QVERIFY(changed.wait(10000));
    }
};

QTEST_MAIN(TestDashboardPage)
#include "TestDashboardPage.moc"
