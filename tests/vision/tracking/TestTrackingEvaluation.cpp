#include "vision/tracking/TrackingEvaluation.h"

#include <QTest>

using namespace signiq::vision;

namespace {

// A 40 x 80 box at x (same y), so that shifting by d px gives IoU (40 - d) / (40 + d).
QRectF at(double x) { return {x, 100.0, 40.0, 80.0}; }

EvaluatedFrame frame(std::initializer_list<EvaluatedBox> boxes) { return EvaluatedFrame(boxes); }

} // namespace

class TestTrackingEvaluation : public QObject {
    Q_OBJECT

private slots:
    void perfectTrackingScoresOne();
    void idSwitchCountsOnceAndHalvesIdf1();
    void missesAndFalseAlarms();
    void crossingSwapCountsTwoSwitches();
    void lastCorrespondenceIsKeptWhileItOverlaps();
    void overlapBelowThresholdIsNoMatch();
    void switchAfterAGapStillCounts();
    void identityMatchingIsGlobalAndOneToOne();

    void annotationInterpolatesBetweenKeys();
    void annotationRefusesBadInput_data();
    void annotationRefusesBadInput();
    void vtestAnnotationIsValid();
};

void TestTrackingEvaluation::perfectTrackingScoresOne()
{
    std::vector<EvaluatedFrame> gt, hy;
    for (int f = 0; f < 5; ++f) {
        gt.push_back(frame({{1, at(10 + f)}, {2, at(200 - f)}}));
        hy.push_back(frame({{7, at(10 + f)}, {9, at(200 - f)}}));
    }
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.groundTruth, 10);
    QCOMPARE(s.matches, 10);
    QCOMPARE(s.falseNegatives + s.falsePositives + s.idSwitches, 0);
    QCOMPARE(s.mota, 1.0);
    QCOMPARE(s.idf1, 1.0);
    QCOMPARE(s.idTruePositives, 10);
    QCOMPARE(s.groundTruthIds, 2);
    QCOMPARE(s.hypothesisIds, 2);
}

void TestTrackingEvaluation::idSwitchCountsOnceAndHalvesIdf1()
{
    // One person, 4 frames; the tracker changes its id after frame 1.
    std::vector<EvaluatedFrame> gt(4, frame({{1, at(10)}}));
    std::vector<EvaluatedFrame> hy{frame({{5, at(10)}}), frame({{5, at(10)}}), frame({{6, at(10)}}), frame({{6, at(10)}})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.idSwitches, 1);
    QCOMPARE(s.mota, 0.75);             // 1 - 1 / 4
    QCOMPARE(s.idTruePositives, 2);     // the best single id covers 2 of 4 frames
    QCOMPARE(s.idf1, 0.5);              // 2 * 2 / (4 + 4)
    QCOMPARE(s.idPrecision, 0.5);
    QCOMPARE(s.idRecall, 0.5);
}

void TestTrackingEvaluation::missesAndFalseAlarms()
{
    // Frames 2 and 3 missed, a false alarm far away in frame 0.
    std::vector<EvaluatedFrame> gt(4, frame({{1, at(10)}}));
    std::vector<EvaluatedFrame> hy{frame({{5, at(10)}, {8, at(400)}}), frame({{5, at(10)}}), frame({}), frame({})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.falseNegatives, 2);
    QCOMPARE(s.falsePositives, 1);
    QCOMPARE(s.idSwitches, 0);
    QCOMPARE(s.mota, 0.25);             // 1 - 3 / 4
    QCOMPARE(s.idTruePositives, 2);
    QCOMPARE(s.idFalsePositives, 1);
    QCOMPARE(s.idFalseNegatives, 2);
    QCOMPARE(s.idf1, 4.0 / 7.0);        // 2 * 2 / (4 + 3)
}

void TestTrackingEvaluation::crossingSwapCountsTwoSwitches()
{
    // Two people; after frame 1 the tracker's ids swap between them.
    std::vector<EvaluatedFrame> gt(4, frame({{1, at(10)}, {2, at(300)}}));
    std::vector<EvaluatedFrame> hy{frame({{5, at(10)}, {6, at(300)}}), frame({{5, at(10)}, {6, at(300)}}),
                                   frame({{6, at(10)}, {5, at(300)}}), frame({{6, at(10)}, {5, at(300)}})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.idSwitches, 2);
    QCOMPARE(s.mota, 0.75);             // 1 - 2 / 8
    QCOMPARE(s.idTruePositives, 4);
    QCOMPARE(s.idf1, 0.5);
}

void TestTrackingEvaluation::lastCorrespondenceIsKeptWhileItOverlaps()
{
    // Frame 1: hypothesis 6 fits better (IoU 1) than 5 (IoU 30/50 = 0.6), but 5 was the match
    // and still overlaps >= 0.5: CLEAR-MOT keeps it, no switch, 6 is a false positive.
    std::vector<EvaluatedFrame> gt(2, frame({{1, at(10)}}));
    std::vector<EvaluatedFrame> hy{frame({{5, at(10)}}), frame({{5, at(20)}, {6, at(10)}})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.idSwitches, 0);
    QCOMPARE(s.falsePositives, 1);
    QCOMPARE(s.matches, 2);
    QCOMPARE(s.mota, 0.5);              // 1 - 1 / 2
}

void TestTrackingEvaluation::overlapBelowThresholdIsNoMatch()
{
    // Shift 20 px: IoU 20 / 60 = 0.33 < 0.5.
    const std::vector<EvaluatedFrame> gt{frame({{1, at(10)}})};
    const std::vector<EvaluatedFrame> hy{frame({{5, at(30)}})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.matches, 0);
    QCOMPARE(s.falseNegatives, 1);
    QCOMPARE(s.falsePositives, 1);
    QCOMPARE(s.mota, -1.0);
    QCOMPARE(s.idf1, 0.0);
    // With a looser threshold the same pair matches.
    QCOMPARE(scoreTracking(gt, hy, 0.3).matches, 1);
}

void TestTrackingEvaluation::switchAfterAGapStillCounts()
{
    // Missed in frame 1, then found again under a new id: FN 1 and one switch.
    std::vector<EvaluatedFrame> gt(3, frame({{1, at(10)}}));
    std::vector<EvaluatedFrame> hy{frame({{5, at(10)}}), frame({}), frame({{6, at(10)}})};
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.falseNegatives, 1);
    QCOMPARE(s.idSwitches, 1);
    QCOMPARE(s.mota, 1.0 - 2.0 / 3.0);
}

void TestTrackingEvaluation::identityMatchingIsGlobalAndOneToOne()
{
    // Hypothesis 5 covers person 1 for 4 frames and person 2 for 3 frames; hypothesis 6 covers
    // person 1 for 2 frames. Greedy matching (largest count first: 1 -> 5) would credit 4; the
    // optimal one-to-one matching is 1 -> 6, 2 -> 5 with 2 + 3 = 5.
    std::vector<EvaluatedFrame> gt, hy;
    const auto add = [&](int n, qint64 person, qint64 track, double x) {
        for (int f = 0; f < n; ++f) {
            gt.push_back(frame({{person, at(x)}}));
            hy.push_back(frame({{track, at(x)}}));
        }
    };
    add(4, 1, 5, 10);
    add(3, 2, 5, 300);
    add(2, 1, 6, 10);
    const TrackingScores s = scoreTracking(gt, hy);
    QCOMPARE(s.groundTruth, 9);
    QCOMPARE(s.idTruePositives, 5);
    QCOMPARE(s.idf1, 10.0 / 18.0);      // 2 * 5 / (9 + 9)
    QCOMPARE(s.idSwitches, 1);          // person 1: 5 -> 6 (person 2's first match is no switch)
    QCOMPARE(s.mota, 1.0 - 1.0 / 9.0);
}

void TestTrackingEvaluation::annotationInterpolatesBetweenKeys()
{
    const QByteArray text = "# comment\nvideo,768,576,100,10\n"
                            "1,10,100,100,40,80\n1,0,0,100,40,80\n"
                            "2,5,300,200,20,40\n";
    auto a = TrackAnnotation::parse(text, QStringLiteral("inline"));
    QVERIFY2(a.ok(), qPrintable(a ? QString() : a.error().message));
    QCOMPARE(a->stretches().size(), size_t(2));
    QCOMPARE(a->stretches()[0].firstFrame(), 0);
    QCOMPARE(a->stretches()[0].lastFrame(), 10);
    QCOMPARE(a->personSeconds(), (11.0 + 1.0) / 10.0);
    const EvaluatedFrame f5 = a->at(5);
    QCOMPARE(f5.size(), size_t(2));
    QCOMPARE(f5[0].id, 1);
    QCOMPARE(f5[0].box, QRectF(50, 100, 40, 80));
    QCOMPARE(f5[1].box, QRectF(300, 200, 20, 40));
    QCOMPARE(a->at(11).size(), size_t(0));
    QVERIFY(a->isKeyFrame(10));
    QVERIFY(!a->isKeyFrame(7));
}

void TestTrackingEvaluation::annotationRefusesBadInput_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("no header") << QByteArray("1,0,0,0,10,10\n") << QStringLiteral("expected the header");
    QTest::newRow("empty") << QByteArray("# nothing\n") << QStringLiteral("no header line");
    QTest::newRow("zero fps") << QByteArray("video,768,576,10,0\n") << QStringLiteral("expected the header");
    QTest::newRow("no stretch") << QByteArray("video,768,576,10,10\n") << QStringLiteral("no annotated stretch");
    QTest::newRow("field count") << QByteArray("video,768,576,10,10\n1,0,0,0,10\n") << QStringLiteral("line 2: expected");
    QTest::newRow("not a number") << QByteArray("video,768,576,10,10\n1,0,x,0,10,10\n") << QStringLiteral("not a number");
    QTest::newRow("id 0") << QByteArray("video,768,576,10,10\n0,0,0,0,10,10\n") << QStringLiteral("stretch id must be positive");
    QTest::newRow("frame outside") << QByteArray("video,768,576,10,10\n1,10,0,0,10,10\n") << QStringLiteral("frame 10 is outside");
    QTest::newRow("box outside") << QByteArray("video,768,576,10,10\n1,0,760,0,10,10\n") << QStringLiteral("outside the 768x576 frame");
    QTest::newRow("empty box") << QByteArray("video,768,576,10,10\n1,0,0,0,0,10\n") << QStringLiteral("is empty");
    QTest::newRow("duplicate") << QByteArray("video,768,576,10,10\n1,0,0,0,10,10\n1,0,1,1,10,10\n")
                               << QStringLiteral("stretch 1 has a second box for frame 0");
}

void TestTrackingEvaluation::annotationRefusesBadInput()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, message);
    const auto a = TrackAnnotation::parse(text, QStringLiteral("bad.csv"));
    QVERIFY(!a.ok());
    QCOMPARE(a.error().code, signiq::core::ErrorCode::InvalidArgument);
    QVERIFY2(a.error().message.contains(message), qPrintable(a.error().message));
    QVERIFY2(a.error().message.startsWith(QStringLiteral("bad.csv")), qPrintable(a.error().message));
}

void TestTrackingEvaluation::vtestAnnotationIsValid()
{
    // The fixture the bench scores against: it must exist and parse (a missing file fails).
    const auto a = TrackAnnotation::load(QStringLiteral(SIGNIQ_SOURCE_DIR "/tests/data/vtest-annotation.csv"));
    QVERIFY2(a.ok(), qPrintable(a ? QString() : a.error().message));
    QCOMPARE(a->width(), 768);
    QCOMPARE(a->height(), 576);
    QCOMPARE(a->frameCount(), 795);
    QCOMPARE(a->fps(), 10.0);
    QVERIFY(a->stretches().size() >= 15);
    // Boxes at least every 10th frame within each stretch.
    for (const auto &s : a->stretches()) {
        for (size_t k = 1; k < s.keys.size(); ++k)
            QVERIFY2(s.keys[k].frame - s.keys[k - 1].frame <= 10, qPrintable(QStringLiteral("stretch %1 at frame %2").arg(s.id).arg(s.keys[k].frame)));
    }
    QVERIFY(!TrackAnnotation::load(QStringLiteral(SIGNIQ_SOURCE_DIR "/tests/data/no-such.csv")).ok());
}

QTEST_GUILESS_MAIN(TestTrackingEvaluation)
#include "TestTrackingEvaluation.moc"
