#include "ZoneCanvas.h"
#include "ZonesPage.h"
#include "client/FakeDeviceClient.h"
#include "devices/DeviceSession.h"
#include "zones/ZoneEditorModel.h"

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestZonesPage : public QObject {
    Q_OBJECT

private slots:
    void drawAZoneAndSaveIt()
    {
        core::ManualClock clock(1'750'000'000'000);
        FakeDeviceClient device(clock);
        device.setOverlayIntervalMs(50);
        DeviceSession session;
        ZoneEditorModel model(session);
        ZonesPage page(model, session);
        page.resize(1300, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        session.setClient(&device, QStringLiteral("fake"));
        QSignalSpy loaded(&model, &ZoneEditorModel::loaded);
        model.load();
        QVERIFY(loaded.wait());
        QCOMPARE(page.zoneList()->count(), 1);

        // The live overlay delivers frames.
        page.startOverlay();
        QVERIFY(page.isOverlayRunning());

        ZoneCanvas *canvas = page.canvas();
        canvas->setTool(ZoneCanvas::Tool::DrawZone);
        for (QPointF p : {QPointF(0.1, 0.1), QPointF(0.4, 0.1), QPointF(0.4, 0.4), QPointF(0.1, 0.4)})
            QTest::mouseClick(canvas->viewport(), Qt::LeftButton, {}, canvas->viewportPoint(p));
        QTest::keyClick(canvas, Qt::Key_Return);
        QCOMPARE(model.config().zones.size(), 2);
        QCOMPARE(page.zoneList()->count(), 2);
        const core::Zone drawn = model.config().zones.last();
        QCOMPARE(drawn.name, QStringLiteral("zone 1"));
        QVERIFY(qAbs(drawn.polygon.at(1).x() - 0.4) < 0.01);

        // Drag a corner with the select tool.
        canvas->setTool(ZoneCanvas::Tool::Select);
        const QPoint from = canvas->viewportPoint(drawn.polygon.at(2));
        const QPoint to = canvas->viewportPoint(QPointF(0.5, 0.5));
        QTest::mousePress(canvas->viewport(), Qt::LeftButton, {}, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), canvas->viewport()->mapToGlobal(QPointF(to)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(canvas->viewport(), &move);
        QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, {}, to);
        QVERIFY(qAbs(model.config().zones.last().polygon.at(2).x() - 0.5) < 0.01);

        // Undo the drag, then save.
        model.undoStack()->undo();
        QVERIFY(qAbs(model.config().zones.last().polygon.at(2).x() - 0.4) < 0.01);
        QSignalSpy saved(&model, &ZoneEditorModel::saved);
        page.findChild<QPushButton *>(QStringLiteral("save"))->click();
        QVERIFY(saved.wait());
        QCOMPARE(device.storedZones().config.zones.size(), 2);
        QVERIFY(page.statusText().contains(saved.first().first().toString()));
        page.stopOverlay();
        session.clear();
    }
};

QTEST_MAIN(TestZonesPage)
#include "TestZonesPage.moc"
