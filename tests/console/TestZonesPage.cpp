#include "ZoneCanvas.h"
#include "ZonesPage.h"
#include "client/FakeDeviceClient.h"
#include "devices/DeviceSession.h"
#include "zones/ZoneEditorModel.h"

#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace signiq;
using namespace signiq::console;

class TestZonesPage : public QObject {
    Q_OBJECT

private slots:
    // A 4:3 device image is shown 4:3 (the scene follows it), and an ended stream is marked with
    // the device's reason.
    void overlayKeepsItsAspectAndIsMarkedWhenItEnds()
    {
        core::ManualClock clock(1'750'000'000'000);
        FakeDeviceClient device(clock);
        device.setOverlayIntervalMs(50);
        device.setOverlayFrameSource([](qint64 nowMs) {
            OverlayFrame frame;
            frame.image = QImage(640, 480, QImage::Format_RGB32);
            frame.image.fill(QColor(80, 90, 100));
            frame.timestampMs = nowMs;
            return frame;
        });
        DeviceSession session;
        ZoneEditorModel model(session);
        ZonesPage page(model, session);
        page.resize(1300, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        session.setClient(&device, QStringLiteral("fake"));
        page.startOverlay();
        ZoneCanvas *canvas = page.canvas();
        QTRY_VERIFY(canvas->backgroundFrames() > 0);
        QCOMPARE(canvas->sceneHeight(), 720.0);
        const QPoint topLeft = canvas->viewportPoint(QPointF(0, 0));
        const QPoint bottomRight = canvas->viewportPoint(QPointF(1, 1));
        const double aspect = double(bottomRight.x() - topLeft.x()) / double(bottomRight.y() - topLeft.y());
        QVERIFY2(std::abs(aspect - 4.0 / 3.0) < 0.02, qPrintable(QString::number(aspect)));
        QVERIFY(!canvas->isMarkedEnded());

        page.stopOverlay();
        const int frames = canvas->backgroundFrames();
        device.failNext(FakeDeviceClient::Operation::Overlay,
                        core::makeError(core::ErrorCode::PermissionDenied, QStringLiteral("missing scope calibrate (HTTP 403 forbidden)")));
        page.startOverlay();
        QTRY_VERIFY(canvas->isMarkedEnded());
        QVERIFY2(page.statusText().contains(QStringLiteral("missing scope calibrate (HTTP 403 forbidden)")), qPrintable(page.statusText()));
        QCOMPARE(canvas->backgroundFrames(), frames); // the last frame stays, marked
        QTRY_VERIFY(!page.isOverlayRunning());

        page.startOverlay(); // a new frame clears the mark
        QTRY_VERIFY(canvas->backgroundFrames() > frames);
        QVERIFY(!canvas->isMarkedEnded());
        page.stopOverlay();
        session.clear();
    }

    // The mouse wheel over the panel scrolls it; a spin box changes only once it has the focus.
    void wheelScrollsThePanelNotTheValues()
    {
        DeviceSession session;
        ZoneEditorModel model(session);
        ZonesPage page(model, session);
        page.resize(1300, 420); // short: the panel scrolls
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        auto *scroll = page.findChild<QScrollArea *>(QStringLiteral("panelScroll"));
        QVERIFY(scroll);
        QScrollBar *bar = scroll->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        const QList<QDoubleSpinBox *> boxes = scroll->findChildren<QDoubleSpinBox *>();
        QVERIFY(boxes.size() >= 8);
        QDoubleSpinBox *box = boxes.first();
        scroll->ensureWidgetVisible(box);
        QCoreApplication::processEvents();
        QCOMPARE(box->focusPolicy(), Qt::StrongFocus);
        const double value = box->value();
        const int position = bar->value();
        auto wheel = [box](int steps) {
            const QPointF at(box->width() / 2.0, box->height() / 2.0);
            QWheelEvent event(at, box->mapToGlobal(at), QPoint(), QPoint(0, -120 * steps), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(box, &event);
        };
        const int down = position < bar->maximum() ? 1 : -1;
        wheel(down);
        QCOMPARE(box->value(), value);       // unchanged
        QVERIFY(bar->value() != position);  // the panel scrolled instead

        box->setFocus(Qt::MouseFocusReason);
        QVERIFY(box->hasFocus());
        wheel(down);
        QVERIFY(box->value() != value); // focused: the wheel steps the value
    }

    void drawAZoneAndSaveIt()
    {
        core::ManualClock clock(1'750'000'000'000);
        FakeDeviceClient device(clock);
        device.setOverlayIntervalMs(50);
        DeviceSession session;
        ZoneEditorModel model(session);
        model.setClock(&clock);
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
        // The device switches at its next window boundary: the page says when.
        QCOMPARE(model.appliesAtMs(), 1'750'000'020'000);
        const QString at = QLocale().toString(QDateTime::fromMSecsSinceEpoch(model.appliesAtMs()).time(), QLocale::ShortFormat);
        QVERIFY2(page.statusText().contains(QStringLiteral("next window boundary at ") + at), qPrintable(page.statusText()));
        page.stopOverlay();
        session.clear();
    }
};

QTEST_MAIN(TestZonesPage)
#include "TestZonesPage.moc"
