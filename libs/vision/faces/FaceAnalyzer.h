#pragma once

#include "core/Result.h"
#include "core/Track.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace cv {
class Mat;
}

namespace signiq::vision {

// Where YuNet looks for faces.
enum class FaceSearchMode {
    WholeFrame, // one detection on the frame downscaled to detectionWidth (default; see docs/faces.md)
    UpperBody,  // one detection per tracked person on its upper-body region, letterboxed to roiInputSize
};

struct FaceAnalyzerConfig {
    QString modelsDir; // verified model directory; empty = ModelStore::defaultDirectory()

    FaceSearchMode searchMode = FaceSearchMode::WholeFrame;
    int detectionWidth = 320;  // WholeFrame: frames wider than this are downscaled to it (never upscaled)
    int roiInputSize = 160;    // UpperBody: square detector input per person region
    float scoreThreshold = 0.85f; // YuNet score; the manifest recommends 0.8-0.9
    float nmsThreshold = 0.3f;
    float minFaceSizePx = 12.f;   // faces whose box height (pixels of the original frame) is smaller are dropped
    double upperBodyFraction = 0.5; // top part of a person box in which that person's face may lie

    float poseModelMinFacePx = 60.f; // head-pose-adas-0001 on faces at least this tall, landmarks below

    // Age/gender (face-api AgeGenderNet). When false the model is neither located nor loaded.
    bool demographicsEnabled = false;
    float demographicsMinFacePx = 60.f;
    float demographicsMaxAbsYawDeg = 30.f;
};

// One face found by the detector, in pixels of the frame given to detectFaces().
struct DetectedFace {
    QRectF boxPx;
    // YuNet order: subject's right eye (image left), left eye, nose tip, right mouth corner, left mouth corner.
    std::array<QPointF, 5> landmarksPx;
    float score = 0.f;
    std::optional<core::HeadPose> pose;
};

// Per-stage wall time of the last analyze()/detectFaces() call, in milliseconds.
struct FaceAnalyzerTimings {
    double detectMs = 0.0;       // downscale or ROI letterboxing + YuNet
    double poseMs = 0.0;         // head-pose model and landmark estimates
    double demographicsMs = 0.0; // age/gender model
    double totalMs = 0.0;
    int detectorRuns = 0;        // 1 in WholeFrame mode, one per searched person in UpperBody mode
    int facesDetected = 0;
    int facesAttached = 0;       // faces matched to a track (analyze() only)
    int poseModelRuns = 0;
    int landmarkPoses = 0;
    int demographicRuns = 0;
};

// Asked once per track that has an eligible face this frame (confirmed track, face >=
// demographicsMinFacePx, model head pose with |yaw| <= demographicsMaxAbsYawDeg): return true if
// the track still needs its one demographic sample of the current window.
using DemographicsWanted = std::function<bool(core::TrackId)>;

// Finds faces, attaches them to person tracks, estimates head pose and (if enabled) age/gender.
//
// Privacy: no pixels leave the analyser. Crops and the downscaled frame live in buffers the
// analyser preallocates and zeroes (memset) before every call returns; results are boxes,
// angles and DemographicSamples only. Nothing is written anywhere. One thread at a time.
class FaceAnalyzer {
public:
    virtual ~FaceAnalyzer() = default;

    // Detects faces in `bgr` (CV_8UC3, the frame the tracks were computed on), attaches at most
    // one face per track (the face must lie in the track's upper-body region, see
    // upperBodyRegion()) and sets TrackObservation::face (normalised box, height in pixels,
    // head pose); tracks without a face get face = nullopt. Returns the age/gender samples
    // taken this frame: only when demographics are enabled, only for confirmed tracks with an
    // eligible face, and only where wantDemographics(id) returns true (an empty function samples
    // nobody). The caller marks those tracks as sampled; the analyser keeps no per-track state.
    virtual core::Result<QList<core::DemographicSample>> analyze(const cv::Mat &bgr,
                                                                 QList<core::TrackObservation> &tracks,
                                                                 const DemographicsWanted &wantDemographics = {}) = 0;

    // Every face in the whole frame (always WholeFrame search) with its head pose; no tracks,
    // no demographics. For tests, the bench and calibration tools.
    virtual core::Result<QList<DetectedFace>> detectFaces(const cv::Mat &bgr) = 0;

    virtual const FaceAnalyzerTimings &lastTimings() const = 0;
    virtual const FaceAnalyzerConfig &config() const = 0;
    // "<model>@<sha256 prefix>" of every loaded model, e.g. for the audience window's model_version.
    virtual QStringList modelVersions() const = 0;
};

// Validates the config, verifies (sha256) and loads YuNet 2022mar and head-pose-adas-0001, and
// age-gender-faceapi only if demographicsEnabled. Errors: InvalidArgument (bad config value,
// naming it), NotFound/Corrupt (model file), Parse (OpenCV cannot load a model).
core::Result<std::unique_ptr<FaceAnalyzer>> createFaceAnalyzer(const FaceAnalyzerConfig &config);

// The region (normalised) in which the face of a person with this box may lie: the top
// `fraction` of the box, widened by 10 % of its width on each side and raised by 5 % of its height.
QRectF upperBodyRegion(const QRectF &personBox, double fraction);

// Index of the face attached to each track (-1: none). A face can only go to a track whose
// upper-body region contains the face centre; each track gets at most one face and each face
// at most one track, greedily by distance between the face centre and the expected head position
// (horizontal centre, 10 % below the top of the box), relative to the box size.
QList<int> matchFacesToTracks(const QList<QRectF> &faceBoxes, const QList<core::TrackObservation> &tracks,
                              double upperBodyFraction);

} // namespace signiq::vision
