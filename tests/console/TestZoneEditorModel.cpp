#include "client/FakeDeviceClient.h"
#include "devices/DeviceSession.h"
#include "zones/ZoneEditorModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

namespace {
const QList<QPointF> Square{{0.1, 0.1}, {0.4, 0.1}, {0.4, 0.4}, {0.1, 0.4}};
}

class TestZoneEditorModel : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock{1'750'000'000'000};
    std::unique_ptr<FakeDeviceClient> m_device;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<ZoneEditorModel> m_model;

private slots:
    void init()
    {
        m_session = std::make_unique<DeviceSession>();
        m_device = std::make_unique<FakeDeviceClient>(m_clock);
        m_model = std::make_unique<ZoneEditorModel>(*m_session);
        m_session->setClient(m_device.get(), QStringLiteral("fake"));
        QSignalSpy loaded(m_model.get(), &ZoneEditorModel::loaded);
        m_model->load();
        QVERIFY(loaded.wait());
    }
    void cleanup()
    {
        m_session->clear();
        m_model.reset();
        m_device.reset();
    }

    void loadsTheDeviceDocument()
    {
        QCOMPARE(m_model->config(), m_device->storedZones().config);
        QCOMPARE(m_model->deviceCalibrationVersion(), m_device->storedZones().calibrationVersion);
        QVERIFY(!m_model->isDirty());
    }

    void addUndoRedo()
    {
        QVERIFY(!m_model->addZone(QStringLiteral("shelf"), Square).has_value());
        QCOMPARE(m_model->config().zones.size(), 2);
        QVERIFY(m_model->isDirty());
        m_model->undoStack()->undo();
        QCOMPARE(m_model->config().zones.size(), 1);
        QVERIFY(!m_model->isDirty());
        m_model->undoStack()->redo();
        QCOMPARE(m_model->config().zones.last().name, QStringLiteral("shelf"));
    }

    void invalidEditsAreRefused()
    {
        QVERIFY(m_model->addZone(QStringLiteral("entrance"), Square).has_value()); // duplicate name
        QVERIFY(m_model->addZone(QStringLiteral("x"), {{0, 0}, {1, 1}}).has_value()); // two points
        QVERIFY(m_model->renameZone(0, QString()).has_value());
        QCOMPARE(m_model->undoStack()->count(), 0);
    }

    void editsKeepLinesConsistent()
    {
        QVERIFY(!m_model->addLine(QStringLiteral("door"), QStringLiteral("entrance"), {0.2, 0.6}, {0.8, 0.6}).has_value());
        QVERIFY(!m_model->renameZone(0, QStringLiteral("front")).has_value());
        QCOMPARE(m_model->config().lines.first().zone, QStringLiteral("front"));
        QVERIFY(!m_model->moveVertex(0, 0, {0.05, 0.45}).has_value());
        QCOMPARE(m_model->config().zones.first().polygon.first(), QPointF(0.05, 0.45));
        QVERIFY(!m_model->translateZone(0, {0.5, 0.5}).has_value()); // clamped into 0..1
        for (const QPointF &p : m_model->config().zones.first().polygon)
            QVERIFY(p.x() <= 1.0 && p.y() <= 1.0);
        QVERIFY(!m_model->addZone(QStringLiteral("b"), Square).has_value());
        QVERIFY(!m_model->removeZone(0).has_value());
        QVERIFY(m_model->config().lines.isEmpty());
        QCOMPARE(m_model->suggestZoneName(), QStringLiteral("zone 1"));
    }

    void floorPointsAndScreen()
    {
        const QList<core::FloorCorrespondence> three{{{0.1, 0.9}, {-2, 1}}, {{0.9, 0.9}, {2, 1}}, {{0.7, 0.5}, {2, 6}}};
        QVERIFY(!m_model->setFloorPoints(three).has_value()); // fewer than 4: allowed while editing
        QVERIFY(m_model->config().calibration.has_value());
        auto four = three;
        four.append({{0.3, 0.5}, {-2, 6}});
        QVERIFY(!m_model->setFloorPoints(four).has_value());
        auto collinear = four;
        collinear[3] = {{0.5, 0.9}, {0, 1}};
        collinear[2] = {{0.6, 0.9}, {1, 1}};
        QVERIFY(m_model->setFloorPoints(collinear).has_value());
        QVERIFY(!m_model->setScreen({{0, 0}, 1.6, 1.2, 0.7}, {{0.4, 0}, 2.2}).has_value());
        QVERIFY(m_model->setScreen({{0, 0}, 0.2, 1.2, 0.7}, {{0.4, 0}, 2.2}).has_value()); // below the floor
        QCOMPARE(m_model->config().calibration->screen.centreHeightM, 1.6);
    }

    void saveReturnsTheNewVersion()
    {
        QVERIFY(!m_model->addZone(QStringLiteral("shelf"), Square).has_value());
        QSignalSpy saved(m_model.get(), &ZoneEditorModel::saved);
        m_model->save();
        QVERIFY(saved.wait());
        const QString version = saved.first().first().toString();
        QCOMPARE(version, m_model->config().version());
        QCOMPARE(m_device->storedZones().config, m_model->config());
        QVERIFY(!m_model->isDirty());
        QCOMPARE(m_device->auditEntries().last().action, QStringLiteral("zones.update"));
    }

    void rejectedSaveKeepsTheEdits()
    {
        QVERIFY(!m_model->addZone(QStringLiteral("shelf"), Square).has_value());
        m_device->failNext(FakeDeviceClient::Operation::PutZones,
                           core::makeError(core::ErrorCode::InvalidArgument, QStringLiteral("zones[1].polygon: too small")));
        QSignalSpy failed(m_model.get(), &ZoneEditorModel::failed);
        m_model->save();
        QVERIFY(failed.wait());
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("too small")));
        QVERIFY(m_model->isDirty());
        QCOMPARE(m_model->config().zones.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestZoneEditorModel)
#include "TestZoneEditorModel.moc"
