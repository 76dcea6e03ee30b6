#include "vision/tracking/ByteTracker.h"
#include "vision/tracking/TrackIdGenerator.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <optional>

using namespace signiq;
using namespace signiq::vision;

namespace {

const QSizeF kFrame(768.0, 576.0);
constexpr qint64 kStartMs = 1'700'000'000'000;
constexpr qint64 kFrameMs = 100; // 10 fps

Detection det(double cx, double cy, double w, double h, float score = 0.9f)
{
    return Detection{QRectF(cx - w / 2.0, cy - h / 2.0, w, h), score};
}

QRectF normalised(const Detection &d)
{
    return {d.box.x() / kFrame.width(), d.box.y() / kFrame.height(), d.box.width() / kFrame.width(),
            d.box.height() / kFrame.height()};
}

double iou(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    const double inter = i.width() * i.height();
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0 ? inter / uni : 0.0;
}

// The observation that best overlaps `truth` (a pixel box), if any overlaps by >= 0.5.
std::optional<core::TrackObservation> find(const QList<core::TrackObservation> &tracks, const Detection &truth)
{
    std::optional<core::TrackObservation> best;
    double bestIou = 0.5;
    for (const auto &t : tracks) {
        const double v = iou(t.box, normalised(truth));
        if (v >= bestIou) {
            bestIou = v;
            best = t;
        }
    }
    return best;
}

bool containsId(const QList<core::TrackObservation> &tracks, core::TrackId id)
{
    for (const auto &t : tracks) {
        if (t.id == id)
            return true;
    }
    return false;
}

} // namespace

class TestByteTracker : public QObject {
    Q_OBJECT

private slots:
    void firstDetectionGivesNormalisedTentativeTrack();
    void tentativeConfirmedOnlyAfterConfirmFrames();
    void singleFrameFalsePositiveNeverConfirmed();
    void flickeringFalsePositiveNeverConfirmed();
    void crossingPathsKeepIds();
    void crossingWithOcclusionKeepsIds();
    void shortOcclusionKeepsId();
    void longAbsenceGivesNewIdAndOldNeverReturns();
    void lowScoreDetectionsKeepTrackAlive();
    void lowScoreDetectionsNeverStartTracks();
    void predictMovesAlongVelocity();
    void idsUniqueAndNonZeroOverManyTracks();
    void idGeneratorUniqueAndNonZero();
    void maxTracksIsRespected();
    void smallFastBoxWithGapsKeepsId();
    void coastingReportsPredictedThenEnds();
    void coastingOutOfFrameEnds();
    void predictReportsCoastingTracks();
    void sideBySideWalkersKeepIds();
    void configIsSanitised();
    void reactivationContinuesAHiddenPerson_data();
    void reactivationContinuesAHiddenPerson();
    void reactivationNeverJoinsTwoPeopleSeenTogether();
};

void TestByteTracker::firstDetectionGivesNormalisedTentativeTrack()
{
    ByteTracker tracker;
    const Detection d = det(384, 288, 60, 150);
    const auto out = tracker.update({d}, kStartMs, kFrame);
    QCOMPARE(out.size(), 1);
    QVERIFY(out[0].id != 0);
    QVERIFY(!out[0].confirmed);
    QVERIFY(!out[0].predicted);
    QCOMPARE(out[0].score, 0.9f);
    const QRectF expected = normalised(d);
    QVERIFY(std::abs(out[0].box.x() - expected.x()) < 1e-6);
    QVERIFY(std::abs(out[0].box.width() - expected.width()) < 1e-6);
    QVERIFY(std::abs(out[0].box.height() - expected.height()) < 1e-6);
    QCOMPARE(tracker.activeTrackCount(), 1);
}

void TestByteTracker::tentativeConfirmedOnlyAfterConfirmFrames()
{
    for (int confirmFrames : {1, 3, 5}) {
        TrackerConfig config;
        config.confirmFrames = confirmFrames;
        ByteTracker tracker(config);
        core::TrackId id = 0;
        for (int f = 0; f < confirmFrames + 2; ++f) {
            const auto out = tracker.update({det(100 + 5 * f, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame);
            QCOMPARE(out.size(), 1);
            if (f == 0)
                id = out[0].id;
            QCOMPARE(out[0].id, id);
            QCOMPARE(out[0].confirmed, f + 1 >= confirmFrames);
        }
    }
}

void TestByteTracker::singleFrameFalsePositiveNeverConfirmed()
{
    ByteTracker tracker;
    core::TrackId person = 0;
    QSet<core::TrackId> confirmed;
    for (int f = 0; f < 20; ++f) {
        QList<Detection> dets{det(100 + 10 * f, 300, 60, 150)};
        if (f == 8)
            dets.push_back(det(600, 100, 40, 100, 0.95f)); // one-frame false positive
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        for (const auto &t : out) {
            if (t.confirmed)
                confirmed.insert(t.id);
        }
        if (f == 2)
            person = out.at(0).id;
        if (f == 9)
            QCOMPARE(tracker.activeTrackCount(), 1); // the tentative false positive is gone
    }
    QCOMPARE(confirmed, QSet<core::TrackId>{person});
}

void TestByteTracker::flickeringFalsePositiveNeverConfirmed()
{
    ByteTracker tracker;
    for (int f = 0; f < 30; ++f) {
        QList<Detection> dets;
        if (f % 2 == 0)
            dets.push_back(det(500, 200, 50, 120, 0.8f));
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        for (const auto &t : out)
            QVERIFY(!t.confirmed);
    }
}

void TestByteTracker::crossingPathsKeepIds()
{
    ByteTracker tracker;
    core::TrackId idA = 0, idB = 0;
    for (int f = 0; f < 50; ++f) {
        // A walks right, B walks left; they overlap heavily around frame 25.
        const Detection a = det(130 + 10.0 * f, 300, 60, 150);
        const Detection b = det(630 - 10.0 * f, 315, 66, 165);
        const auto out = tracker.update({a, b}, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 2);
        const auto ta = find(out, a);
        const auto tb = find(out, b);
        QVERIFY2(ta && tb, qPrintable(QStringLiteral("frame %1").arg(f)));
        if (f == 0) {
            idA = ta->id;
            idB = tb->id;
            QVERIFY(idA != idB);
        }
        QVERIFY2(ta->id == idA, qPrintable(QStringLiteral("A switched id at frame %1").arg(f)));
        QVERIFY2(tb->id == idB, qPrintable(QStringLiteral("B switched id at frame %1").arg(f)));
        if (f >= 2) {
            QVERIFY(ta->confirmed);
            QVERIFY(tb->confirmed);
        }
    }
}

void TestByteTracker::crossingWithOcclusionKeepsIds()
{
    ByteTracker tracker;
    core::TrackId idA = 0, idB = 0;
    for (int f = 0; f < 50; ++f) {
        const Detection a = det(130 + 10.0 * f, 300, 60, 150);      // behind
        const Detection b = det(630 - 10.0 * f, 320, 70, 175, 0.95f); // in front
        const bool aHidden = f >= 23 && f <= 27;
        QList<Detection> dets{b};
        if (!aHidden)
            dets.push_back(a);
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        const auto tb = find(out, b);
        QVERIFY2(tb, qPrintable(QStringLiteral("frame %1").arg(f)));
        if (f == 0)
            idB = tb->id;
        QVERIFY2(tb->id == idB, qPrintable(QStringLiteral("B switched id at frame %1").arg(f)));
        if (aHidden) {
            // A lost track coasts: reported at its prediction, so analytics sees no exit.
            QVERIFY(containsId(out, idA));
            for (const auto &t : out) {
                if (t.id == idA)
                    QVERIFY(t.predicted && t.confirmed && t.score == 0.f);
            }
            continue;
        }
        const auto ta = find(out, a);
        QVERIFY2(ta, qPrintable(QStringLiteral("frame %1").arg(f)));
        if (f == 0)
            idA = ta->id;
        QVERIFY2(ta->id == idA, qPrintable(QStringLiteral("A has a new id after occlusion at frame %1").arg(f)));
    }
}

void TestByteTracker::shortOcclusionKeepsId()
{
    ByteTracker tracker;
    core::TrackId id = 0;
    for (int f = 0; f < 30; ++f) {
        const bool hidden = f >= 10 && f < 15; // 0.5 s without a detection
        QList<Detection> dets;
        if (!hidden)
            dets.push_back(det(100 + 8.0 * f, 300, 60, 150));
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 1);
        if (f == 0)
            id = out[0].id;
        QCOMPARE(out[0].id, id);
        QCOMPARE(out[0].predicted, hidden); // coasting while hidden
        if (hidden) {
            QCOMPARE(tracker.lostTrackCount(), 1);
            const double cx = out[0].box.center().x() * kFrame.width();
            QVERIFY2(std::abs(cx - (100 + 8.0 * f)) < 10.0, qPrintable(QString::number(cx)));
            continue;
        }
        if (f >= 15)
            QVERIFY(out[0].confirmed);
    }
}

void TestByteTracker::longAbsenceGivesNewIdAndOldNeverReturns()
{
    TrackerConfig config; // lost buffer 3 s, coasting 1.5 s, no re-activation
    config.lostTrackBufferMs = 3000;
    config.coastMs = 1500;
    config.reactivateDistancePerSecond = 0.f;
    ByteTracker tracker(config);
    core::TrackId oldId = 0;
    int f = 0;
    for (; f < 10; ++f) {
        const auto out = tracker.update({det(300, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame);
        oldId = out.at(0).id;
    }
    for (; f < 45; ++f) { // 3.5 s with nobody: coasting for the first 1.5 s, then nothing
        const auto out = tracker.update({}, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), f < 25 ? 1 : 0);
    }
    QCOMPARE(tracker.lostTrackCount(), 0);
    QCOMPARE(tracker.activeTrackCount(), 0);

    core::TrackId newId = 0;
    for (; f < 70; ++f) {
        const auto out = tracker.update({det(300, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 1);
        QVERIFY(out[0].id != oldId);
        if (newId == 0)
            newId = out[0].id;
        QCOMPARE(out[0].id, newId);
    }
}

void TestByteTracker::lowScoreDetectionsKeepTrackAlive()
{
    ByteTracker tracker;
    core::TrackId id = 0;
    for (int f = 0; f < 25; ++f) {
        const float score = f < 5 ? 0.9f : 0.3f; // e.g. the person is partly occluded
        const auto out = tracker.update({det(100 + 10.0 * f, 300, 60, 150, score)}, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 1);
        if (f == 0)
            id = out[0].id;
        QCOMPARE(out[0].id, id);
        QCOMPARE(out[0].score, score);
        QVERIFY(!out[0].predicted);
        if (f >= 5)
            QVERIFY(out[0].confirmed);
    }
    // Below the low threshold a detection is ignored: the track is lost (and coasts).
    const auto out = tracker.update({det(350, 300, 60, 150, 0.05f)}, kStartMs + 25 * kFrameMs, kFrame);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].id, id);
    QVERIFY(out[0].predicted);
    QCOMPARE(tracker.lostTrackCount(), 1);
}

void TestByteTracker::lowScoreDetectionsNeverStartTracks()
{
    ByteTracker tracker;
    for (int f = 0; f < 10; ++f) {
        // 0.55 is a high detection (first stage) but below the new-track score 0.6.
        const QList<Detection> dets{det(200, 300, 60, 150, 0.3f), det(500, 300, 60, 150, 0.55f)};
        QVERIFY(tracker.update(dets, kStartMs + f * kFrameMs, kFrame).isEmpty());
    }
    QCOMPARE(tracker.activeTrackCount(), 0);
}

void TestByteTracker::predictMovesAlongVelocity()
{
    ByteTracker tracker;
    const double vx = 120.0; // px per second
    const double vy = -40.0;
    core::TrackId id = 0;
    qint64 t = kStartMs;
    for (int f = 0; f < 15; ++f, t += kFrameMs) {
        const auto out = tracker.update({det(200 + vx * f / 10.0, 350 + vy * f / 10.0, 60, 150)}, t, kFrame);
        id = out.at(0).id;
    }
    t -= kFrameMs; // time of the last detection (frame 14)
    const double lastCx = 200 + vx * 1.4;
    const double lastCy = 350 + vy * 1.4;
    for (int step = 1; step <= 4; ++step) { // detection skipped on 4 frames, 50 ms apart
        const qint64 at = t + step * 50;
        const auto out = tracker.predict(at, kFrame);
        QCOMPARE(out.size(), 1);
        QCOMPARE(out[0].id, id);
        QVERIFY(out[0].predicted);
        QVERIFY(out[0].confirmed);
        QCOMPARE(out[0].score, 0.f);
        const double cx = out[0].box.center().x() * kFrame.width();
        const double cy = out[0].box.center().y() * kFrame.height();
        const double dt = step * 0.05;
        QVERIFY2(std::abs(cx - (lastCx + vx * dt)) < 2.0, qPrintable(QString::number(cx)));
        QVERIFY2(std::abs(cy - (lastCy + vy * dt)) < 2.0, qPrintable(QString::number(cy)));
    }
    // Detection resumes where the person really is: same id.
    const auto out = tracker.update({det(lastCx + vx * 0.3, lastCy + vy * 0.3, 60, 150)}, t + 300, kFrame);
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].id, id);
    QVERIFY(!out[0].predicted);
}

void TestByteTracker::idsUniqueAndNonZeroOverManyTracks()
{
    ByteTracker tracker;
    QSet<core::TrackId> ids;
    int created = 0;
    for (int f = 0; f < 3000; ++f) {
        // Each frame a detection far from the previous one: a new tentative track every frame.
        const double cx = (f % 2 == 0) ? 150.0 : 600.0;
        const auto out = tracker.update({det(cx, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 1);
        QVERIFY(out[0].id != 0);
        QVERIFY(!ids.contains(out[0].id));
        ids.insert(out[0].id);
        ++created;
    }
    QCOMPARE(ids.size(), created);
    // A second tracker in the same process never hands out the first one's ids.
    ByteTracker other;
    const auto out = other.update({det(300, 300, 60, 150)}, kStartMs, kFrame);
    QVERIFY(!ids.contains(out.at(0).id));
}

void TestByteTracker::idGeneratorUniqueAndNonZero()
{
    TrackIdGenerator generator;
    QSet<core::TrackId> ids;
    ids.reserve(200000);
    int highBitSet = 0;
    for (int i = 0; i < 200000; ++i) {
        const core::TrackId id = generator.next();
        QVERIFY(id != 0);
        ids.insert(id);
        if (id >> 63)
            ++highBitSet;
    }
    QCOMPARE(ids.size(), 200000);
    QVERIFY(highBitSet > 90000 && highBitSet < 110000); // spread over the whole 64-bit range

    TrackIdGenerator another; // fresh keys: an unrelated sequence
    QVERIFY(!ids.contains(another.next()));
}

void TestByteTracker::maxTracksIsRespected()
{
    TrackerConfig config;
    config.maxTracks = 5;
    ByteTracker tracker(config);
    QList<Detection> dets;
    for (int i = 0; i < 10; ++i)
        dets.push_back(det(40 + 70.0 * i, 300, 50, 150));
    for (int f = 0; f < 5; ++f)
        QCOMPARE(tracker.update(dets, kStartMs + f * kFrameMs, kFrame).size(), 5);
    QCOMPARE(tracker.activeTrackCount(), 5);
}

void TestByteTracker::smallFastBoxWithGapsKeepsId()
{
    // A far-away person (12 x 30 px) walking 8 px per frame at 10 fps, seen by a flickering
    // detector: 3 frames detected, 3 frames missed, with jittering width. Plain IoU gating on
    // a 12 px wide box loses it; the centre-distance fallback and re-finding keep one id.
    ByteTracker tracker;
    core::TrackId id = 0;
    for (int f = 0; f < 60; ++f) {
        const bool seen = (f % 6) < 3;
        const double w = (f % 2 == 0) ? 10.0 : 14.0;
        QList<Detection> dets;
        if (seen)
            dets.push_back(det(100 + 8.0 * f, 200 + 1.0 * f, w, 30, 0.8f));
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        QVERIFY2(out.size() == 1, qPrintable(QStringLiteral("frame %1: %2 tracks").arg(f).arg(out.size())));
        if (f == 0)
            id = out[0].id;
        QVERIFY2(out[0].id == id, qPrintable(QStringLiteral("new id at frame %1").arg(f)));
        QCOMPARE(out[0].predicted, !seen);
        if (f >= 2)
            QVERIFY(out[0].confirmed);
        if (!seen) { // the prediction follows the person
            const double cx = out[0].box.center().x() * kFrame.width();
            QVERIFY2(std::abs(cx - (100 + 8.0 * f)) < 12.0, qPrintable(QStringLiteral("frame %1: cx %2").arg(f).arg(cx)));
        }
    }
    QCOMPARE(tracker.activeTrackCount() + tracker.lostTrackCount(), 1);
}

void TestByteTracker::coastingReportsPredictedThenEnds()
{
    TrackerConfig config;
    config.coastMs = 1000;
    config.lostTrackBufferMs = 2000;
    ByteTracker tracker(config);
    core::TrackId id = 0;
    int f = 0;
    for (; f < 10; ++f) // walking right at 50 px/s, then gone at frame 10 (x = 245)
        id = tracker.update({det(200 + 5.0 * f, 300, 40, 100)}, kStartMs + f * kFrameMs, kFrame).at(0).id;
    double lastCx = 0.0;
    for (; f < 40; ++f) {
        const auto out = tracker.update({}, kStartMs + f * kFrameMs, kFrame);
        const qint64 lostMs = (f - 10) * kFrameMs; // lost since frame 10
        if (lostMs < config.coastMs) {               // coasting on frames 10..19
            QVERIFY2(out.size() == 1, qPrintable(QStringLiteral("frame %1").arg(f)));
            QCOMPARE(out[0].id, id);
            QVERIFY(out[0].predicted);
            QVERIFY(out[0].confirmed);
            QCOMPARE(out[0].score, 0.f);
            const double cx = out[0].box.center().x() * kFrame.width();
            QVERIFY2(std::abs(cx - (200 + 5.0 * f)) < 10.0, qPrintable(QString::number(cx)));
            QVERIFY(cx > lastCx); // keeps moving along its velocity
            lastCx = cx;
        } else {
            QVERIFY2(out.isEmpty(), qPrintable(QStringLiteral("frame %1").arg(f)));
        }
        // Still re-findable until the lost buffer (2 s) runs out, then gone.
        QCOMPARE(tracker.lostTrackCount(), lostMs <= config.lostTrackBufferMs ? 1 : 0);
    }
}

void TestByteTracker::coastingOutOfFrameEnds()
{
    ByteTracker tracker; // coasting 1.5 s
    core::TrackId id = 0;
    int f = 0;
    for (; f < 10; ++f) // walking right at 200 px/s; last detection centred at x = 740
        id = tracker.update({det(560 + 20.0 * f, 300, 40, 100)}, kStartMs + f * kFrameMs, kFrame).at(0).id;
    for (; f < 15; ++f) {
        const auto out = tracker.update({}, kStartMs + f * kFrameMs, kFrame);
        for (const auto &t : out) {
            QCOMPARE(t.id, id);
            QVERIFY(t.predicted);
            // Clamped to the frame.
            QVERIFY(t.box.left() >= 0.0 && t.box.right() <= 1.0 + 1e-9);
            QVERIFY(t.box.top() >= 0.0 && t.box.bottom() <= 1.0 + 1e-9);
            QVERIFY(t.box.width() > 0.0);
        }
    }
    // Its predicted centre has left the picture: the track ended long before coastMs.
    QCOMPARE(tracker.lostTrackCount(), 0);
    QVERIFY(tracker.update({}, kStartMs + f * kFrameMs, kFrame).isEmpty());
}

void TestByteTracker::predictReportsCoastingTracks()
{
    ByteTracker tracker;
    core::TrackId id = 0;
    int f = 0;
    for (; f < 10; ++f)
        id = tracker.update({det(300, 300, 40, 100)}, kStartMs + f * kFrameMs, kFrame).at(0).id;
    QCOMPARE(tracker.update({}, kStartMs + f * kFrameMs, kFrame).size(), 1); // lost now, coasting
    const auto out = tracker.predict(kStartMs + f * kFrameMs + 50, kFrame);  // detection skipped
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].id, id);
    QVERIFY(out[0].predicted);
    QVERIFY(out[0].confirmed);
    QVERIFY(tracker.predict(kStartMs + f * kFrameMs + 1500, kFrame).isEmpty()); // coasting over
    QCOMPARE(tracker.lostTrackCount(), 1);
    // Re-found within the lost buffer: same id, detected again.
    const auto back = tracker.update({det(302, 300, 40, 100)}, kStartMs + f * kFrameMs + 2000, kFrame);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back[0].id, id);
    QVERIFY(!back[0].predicted);
}

void TestByteTracker::sideBySideWalkersKeepIds()
{
    // Two small people (26 x 70 px) walking side by side, centres 24 px apart (their boxes
    // touch), 6 px per frame, with a flickering detector (each misses some frames, never both
    // on the same frame) and jittering boxes. Ids must never swap.
    ByteTracker tracker;
    core::TrackId idA = 0, idB = 0;
    for (int f = 0; f < 80; ++f) {
        const double x = 100 + 6.0 * f;
        const double jitter = (f % 3 == 0) ? 2.0 : ((f % 3 == 1) ? -2.0 : 0.0);
        const Detection a = det(x + jitter, 250, 26 - jitter, 70);
        const Detection b = det(x + 24 - jitter, 254, 26 + jitter, 72, 0.7f);
        const bool aSeen = f < 5 || f % 7 != 3;
        const bool bSeen = f < 5 || (f % 5 != 1 && f % 7 != 4);
        QList<Detection> dets;
        if (bSeen)
            dets.push_back(b);
        if (aSeen)
            dets.push_back(a);
        const auto out = tracker.update(dets, kStartMs + f * kFrameMs, kFrame);
        QCOMPARE(out.size(), 2);
        // Id of the detected (not predicted) observation on a / b, 0 if none.
        const auto detectedId = [&out](const Detection &truth) {
            const auto t = find(out, truth);
            return (t && !t->predicted) ? t->id : core::TrackId(0);
        };
        const core::TrackId onA = aSeen ? detectedId(a) : 0;
        const core::TrackId onB = bSeen ? detectedId(b) : 0;
        if (f == 0) {
            idA = onA;
            idB = onB;
            QVERIFY(idA != 0 && idB != 0 && idA != idB);
        }
        if (aSeen)
            QVERIFY2(onA == idA, qPrintable(QStringLiteral("A swapped at frame %1").arg(f)));
        if (bSeen)
            QVERIFY2(onB == idB, qPrintable(QStringLiteral("B swapped at frame %1").arg(f)));
        QVERIFY(containsId(out, idA) && containsId(out, idB));
    }
}

void TestByteTracker::configIsSanitised()
{
    TrackerConfig config;
    config.lostTrackBufferMs = 500;
    config.coastMs = 2000; // cannot coast longer than a lost track is kept
    config.maxCentreDistance = -1.f;
    config.maxHeightRatio = 0.5f;
    const ByteTracker tracker(config);
    QCOMPARE(tracker.config().coastMs, qint64(500));
    QCOMPARE(tracker.config().maxCentreDistance, 0.f);
    QCOMPARE(tracker.config().maxHeightRatio, 1.f);
}


void TestByteTracker::reactivationContinuesAHiddenPerson_data()
{
    QTest::addColumn<float>("perSecond");
    QTest::addColumn<double>("reappearX");
    QTest::addColumn<double>("reappearHeight");
    QTest::addColumn<bool>("sameId");
    // Hidden 2.5 s, seen again 1.4 box heights away: beyond the re-find gate (at most 1 h), within
    // the re-activation gate (0.4 + 0.5 h/s * 2.7 s = 1.75 h when the new track is confirmed).
    QTest::newRow("re-activated") << 0.5f << 510.0 << 150.0 << true;
    QTest::newRow("off") << 0.f << 510.0 << 150.0 << false;
    QTest::newRow("too far") << 0.5f << 600.0 << 150.0 << false;            // 2 h > 1.75 h
    QTest::newRow("other box size") << 0.5f << 510.0 << 210.0 << false;     // heights 1.4x apart
}

void TestByteTracker::reactivationContinuesAHiddenPerson()
{
    QFETCH(float, perSecond);
    QFETCH(double, reappearX);
    QFETCH(double, reappearHeight);
    QFETCH(bool, sameId);
    TrackerConfig config;
    config.reactivateDistancePerSecond = perSecond;
    config.maxReactivateDistance = 2.0f;
    config.reactivateHeightRatio = 1.3f;
    config.lostTrackBufferMs = 3000;
    config.coastMs = 3000;
    ByteTracker tracker(config);
    core::TrackId oldId = 0;
    int f = 0;
    for (; f < 10; ++f)
        oldId = tracker.update({det(300, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame).at(0).id;
    for (; f < 35; ++f) // hidden 2.5 s; coasting (predicted) at the last place
        QVERIFY(tracker.update({}, kStartMs + f * kFrameMs, kFrame).at(0).predicted);
    std::optional<core::TrackObservation> seen;
    for (; f < 40; ++f) {
        const Detection d = det(reappearX, 300, 60 * reappearHeight / 150.0, reappearHeight);
        seen = find(tracker.update({d}, kStartMs + f * kFrameMs, kFrame), d);
        QVERIFY(seen);
    }
    QVERIFY(seen->confirmed);
    QCOMPARE(seen->id == oldId, sameId);
    QCOMPARE(tracker.lostTrackCount(), sameId ? 0 : 1); // a re-activated lost track is gone
}

void TestByteTracker::reactivationNeverJoinsTwoPeopleSeenTogether()
{
    // B appears next to A one frame before A is hidden for good; B is confirmed after A is lost,
    // near enough for re-activation, but they were seen at the same time: two people.
    TrackerConfig config;
    config.reactivateDistancePerSecond = 0.5f;
    ByteTracker tracker(config);
    core::TrackId a = 0;
    int f = 0;
    for (; f < 10; ++f)
        a = tracker.update({det(300, 300, 60, 150)}, kStartMs + f * kFrameMs, kFrame).at(0).id;
    const Detection b = det(380, 300, 60, 150); // 0.53 h away
    tracker.update({det(300, 300, 60, 150), b}, kStartMs + f++ * kFrameMs, kFrame);
    std::optional<core::TrackObservation> seen;
    for (; f < 16; ++f) {
        seen = find(tracker.update({b}, kStartMs + f * kFrameMs, kFrame), b);
        QVERIFY(seen);
    }
    QVERIFY(seen->confirmed);
    QVERIFY(seen->id != a);
}

QTEST_GUILESS_MAIN(TestByteTracker)
#include "TestByteTracker.moc"
