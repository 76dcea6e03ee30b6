#include "vision/faces/FaceAnalyzer.h"

#include <QTest>

using namespace signiq;
using namespace signiq::vision;

namespace {

core::TrackObservation track(core::TrackId id, QRectF box)
{
    core::TrackObservation t;
    t.id = id;
    t.box = box;
    return t;
}

} // namespace

// matchFacesToTracks(): which person gets which face (no models involved).
class TestFaceTrackMatching : public QObject {
    Q_OBJECT

private slots:
    void faceInUpperBodyGoesToThatPerson();
    void faceInLowerHalfIsNotAttached();
    void overlappingPeopleEachGetTheirOwnFace();
    void atMostOneFacePerTrack();
    void upperBodyRegionGeometry();
    void emptyInputs();
};

void TestFaceTrackMatching::faceInUpperBodyGoesToThatPerson()
{
    const QList<core::TrackObservation> tracks{track(1, {0.1, 0.2, 0.1, 0.5}), track(2, {0.6, 0.2, 0.1, 0.5})};
    const QList<QRectF> faces{{0.63, 0.22, 0.04, 0.05}, {0.13, 0.21, 0.04, 0.05}};
    QCOMPARE(matchFacesToTracks(faces, tracks, 0.5), (QList<int>{1, 0}));
}

void TestFaceTrackMatching::faceInLowerHalfIsNotAttached()
{
    const QList<core::TrackObservation> tracks{track(1, {0.1, 0.2, 0.1, 0.5})};
    QCOMPARE(matchFacesToTracks({{0.13, 0.55, 0.04, 0.05}}, tracks, 0.5), QList<int>{-1});
    // ... nor a face beside the person.
    QCOMPARE(matchFacesToTracks({{0.30, 0.22, 0.04, 0.05}}, tracks, 0.5), QList<int>{-1});
}

void TestFaceTrackMatching::overlappingPeopleEachGetTheirOwnFace()
{
    // Person 2 stands behind person 1 (boxes overlap); both faces are in both upper regions.
    const QList<core::TrackObservation> tracks{track(1, {0.30, 0.30, 0.12, 0.6}), track(2, {0.36, 0.25, 0.10, 0.5})};
    const QList<QRectF> faces{{0.39, 0.26, 0.04, 0.05}, {0.34, 0.31, 0.04, 0.06}};
    QCOMPARE(matchFacesToTracks(faces, tracks, 0.5), (QList<int>{1, 0}));
}

void TestFaceTrackMatching::atMostOneFacePerTrack()
{
    const QList<core::TrackObservation> tracks{track(1, {0.1, 0.1, 0.3, 0.8})};
    const QList<QRectF> faces{{0.30, 0.15, 0.05, 0.06}, {0.225, 0.14, 0.05, 0.06}};
    QCOMPARE(matchFacesToTracks(faces, tracks, 0.5), QList<int>{1}); // the one at the head position
}

void TestFaceTrackMatching::upperBodyRegionGeometry()
{
    const QRectF r = upperBodyRegion({0.2, 0.2, 0.1, 0.4}, 0.5);
    QVERIFY(qFuzzyCompare(r.left(), 0.19));
    QVERIFY(qFuzzyCompare(r.right(), 0.31));
    QVERIFY(qFuzzyCompare(r.top(), 0.18));
    QVERIFY(qFuzzyCompare(r.bottom(), 0.40));
}

void TestFaceTrackMatching::emptyInputs()
{
    QVERIFY(matchFacesToTracks({}, {}, 0.5).isEmpty());
    QCOMPARE(matchFacesToTracks({}, {track(1, {0.1, 0.1, 0.1, 0.1})}, 0.5), QList<int>{-1});
    QVERIFY(matchFacesToTracks({{0.1, 0.1, 0.1, 0.1}}, {}, 0.5).isEmpty());
    // A degenerate (zero-size) predicted box never gets a face.
    QCOMPARE(matchFacesToTracks({{0.1, 0.1, 0.05, 0.05}}, {track(1, {0.1, 0.1, 0.0, 0.3})}, 0.5), QList<int>{-1});
}

QTEST_GUILESS_MAIN(TestFaceTrackMatching)
#include "TestFaceTrackMatching.moc"
