#include "vision/faces/YuNetFaceAnalyzer.h"
#include "vision/capture/PixelScrub.h"

#include "vision/VisionLog.h"
#include "vision/faces/LandmarkHeadPose.h"
#include "vision/models/ModelStore.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

namespace signiq::vision {

using core::ErrorCode;
using core::makeError;

namespace {

const QString kYunet = QStringLiteral("yunet-2022mar");
const QString kHeadPose = QStringLiteral("head-pose-adas-0001");
const QString kAgeGender = QStringLiteral("age-gender-faceapi");

constexpr int kPoseInput = 60;
constexpr int kDemoInput = 112;
constexpr double kMaxRoiUpscale = 2.0;
constexpr int kMinDetectorSide = 64; // YuNet's stride-32 head fails on smaller inputs

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void scrub(cv::Mat &m)
{
    scrubPixels(m);
}

core::Status checkFrame(const cv::Mat &bgr)
{
    if (bgr.empty())
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("face analyser: empty frame"));
    if (bgr.type() != CV_8UC3)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("face analyser: frame must be CV_8UC3 (BGR), got type %1").arg(bgr.type()));
    return {};
}

core::Status validate(const FaceAnalyzerConfig &c)
{
    auto bad = [](const char *key, const QString &why) {
        return makeError(ErrorCode::InvalidArgument, QStringLiteral("face analyser %1 %2").arg(QLatin1String(key), why));
    };
    if (c.detectionWidth < 64 || c.detectionWidth > 4096)
        return bad("detectionWidth", QStringLiteral("must be in 64..4096, got %1").arg(c.detectionWidth));
    if (c.roiInputSize < kMinDetectorSide || c.roiInputSize > 1024)
        return bad("roiInputSize", QStringLiteral("must be in %1..1024, got %2").arg(kMinDetectorSide).arg(c.roiInputSize));
    if (!(c.scoreThreshold > 0.f && c.scoreThreshold < 1.f))
        return bad("scoreThreshold", QStringLiteral("must be in (0, 1), got %1").arg(double(c.scoreThreshold)));
    if (!(c.nmsThreshold > 0.f && c.nmsThreshold <= 1.f))
        return bad("nmsThreshold", QStringLiteral("must be in (0, 1], got %1").arg(double(c.nmsThreshold)));
    if (!(c.minFaceSizePx >= 0.f))
        return bad("minFaceSizePx", QStringLiteral("must be >= 0, got %1").arg(double(c.minFaceSizePx)));
    if (!(c.upperBodyFraction > 0.0 && c.upperBodyFraction <= 1.0))
        return bad("upperBodyFraction", QStringLiteral("must be in (0, 1], got %1").arg(c.upperBodyFraction));
    if (!(c.poseModelMinFacePx >= 8.f))
        return bad("poseModelMinFacePx", QStringLiteral("must be >= 8, got %1").arg(double(c.poseModelMinFacePx)));
    if (!(c.demographicsMinFacePx >= 8.f))
        return bad("demographicsMinFacePx", QStringLiteral("must be >= 8, got %1").arg(double(c.demographicsMinFacePx)));
    if (!(c.demographicsMaxAbsYawDeg >= 0.f && c.demographicsMaxAbsYawDeg <= 90.f))
        return bad("demographicsMaxAbsYawDeg",
                   QStringLiteral("must be in 0..90, got %1").arg(double(c.demographicsMaxAbsYawDeg)));
    return {};
}

float iou(const cv::Rect2f &a, const cv::Rect2f &b)
{
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0.f ? inter / uni : 0.f;
}

// Zeroes the scratch buffers on every exit path of a call.
class ScrubGuard {
public:
    explicit ScrubGuard(std::function<void()> f) : m_f(std::move(f)) {}
    ~ScrubGuard() { m_f(); }
    ScrubGuard(const ScrubGuard &) = delete;
    ScrubGuard &operator=(const ScrubGuard &) = delete;

private:
    std::function<void()> m_f;
};

} // namespace

QRectF upperBodyRegion(const QRectF &box, double fraction)
{
    return {box.x() - 0.1 * box.width(), box.y() - 0.05 * box.height(), 1.2 * box.width(),
            (fraction + 0.05) * box.height()};
}

QList<int> matchFacesToTracks(const QList<QRectF> &faces, const QList<core::TrackObservation> &tracks,
                              double upperBodyFraction)
{
    struct Pair {
        double cost;
        qsizetype face;
        qsizetype track;
    };
    std::vector<Pair> pairs;
    for (qsizetype t = 0; t < tracks.size(); ++t) {
        const QRectF box = tracks[t].box;
        if (box.width() <= 0.0 || box.height() <= 0.0)
            continue;
        const QRectF region = upperBodyRegion(box, upperBodyFraction);
        const QPointF head(box.center().x(), box.top() + 0.1 * box.height());
        for (qsizetype f = 0; f < faces.size(); ++f) {
            const QPointF c = faces[f].center();
            if (!region.contains(c))
                continue;
            const double cost = std::abs(c.x() - head.x()) / box.width() + std::abs(c.y() - head.y()) / box.height();
            pairs.push_back({cost, f, t});
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) { return a.cost < b.cost; });
    QList<int> result(tracks.size(), -1);
    QList<bool> faceUsed(faces.size(), false);
    for (const Pair &p : pairs) {
        if (result[p.track] >= 0 || faceUsed[p.face])
            continue;
        result[p.track] = int(p.face);
        faceUsed[p.face] = true;
    }
    return result;
}

YuNetFaceAnalyzer::YuNetFaceAnalyzer(const FaceAnalyzerConfig &config, const LocatedModel &yunet,
                                     const LocatedModel &headPose, const LocatedModel *ageGender)
    : m_config(config)
{
    const std::string yunetPath = yunet.path(QStringLiteral("model")).toStdString();
    m_frameDetector = cv::FaceDetectorYN::create(yunetPath, "", cv::Size(320, 240), config.scoreThreshold,
                                                 config.nmsThreshold, 5000);
    m_frameDetectorSize = cv::Size(320, 240);
    m_roiDetector = cv::FaceDetectorYN::create(yunetPath, "", cv::Size(config.roiInputSize, config.roiInputSize),
                                               config.scoreThreshold, config.nmsThreshold, 5000);
    m_headPoseNet = cv::dnn::readNetFromONNX(headPose.path(QStringLiteral("model")).toStdString());
    m_headPoseNet.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    m_headPoseNet.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    m_versions << yunet.version() << headPose.version();
    if (ageGender) {
        m_ageGenderNet = cv::dnn::readNetFromONNX(ageGender->path(QStringLiteral("model")).toStdString());
        m_ageGenderNet.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        m_ageGenderNet.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        m_versions << ageGender->version();
    }
    // Preallocate the fixed-size buffers; frame-size buffers follow the first frame.
    m_roiCanvas = cv::Mat::zeros(config.roiInputSize, config.roiInputSize, CV_8UC3);
    m_poseCrop = cv::Mat::zeros(kPoseInput, kPoseInput, CV_8UC3);
    m_demoCrop = cv::Mat::zeros(kDemoInput, kDemoInput, CV_8UC3);
    const int poseShape[] = {1, 3, kPoseInput, kPoseInput};
    m_poseBlob = cv::Mat::zeros(4, poseShape, CV_32F);
    const int demoShape[] = {1, 3, kDemoInput, kDemoInput};
    m_demoBlob = cv::Mat::zeros(4, demoShape, CV_32F);
    m_faces.reserve(64);
}

YuNetFaceAnalyzer::~YuNetFaceAnalyzer()
{
    scrubScratch();
}

std::vector<const cv::Mat *> YuNetFaceAnalyzer::scratchBuffers() const
{
    return {&m_scaled, &m_roiCanvas, &m_poseCrop, &m_poseBlob, &m_demoCrop, &m_demoBlob};
}

void YuNetFaceAnalyzer::scrubScratch()
{
    scrub(m_scaled);
    scrub(m_roiCanvas);
    scrub(m_poseCrop);
    scrub(m_poseBlob);
    scrub(m_demoCrop);
    scrub(m_demoBlob);
    for (cv::Mat &m : m_outs)
        scrub(m);
}

void YuNetFaceAnalyzer::appendFaces(const cv::Mat &out, float scale, cv::Point2f offset, cv::Rect2f validArea)
{
    if (out.empty())
        return;
    CV_Assert(out.type() == CV_32F && out.cols >= 15);
    for (int r = 0; r < out.rows; ++r) {
        const float *row = out.ptr<float>(r);
        const cv::Point2f centre(row[0] + row[2] / 2.f, row[1] + row[3] / 2.f);
        if (!validArea.contains(centre))
            continue; // e.g. on the black padding of an ROI canvas
        RawFace f;
        f.box = cv::Rect2f(row[0] / scale + offset.x, row[1] / scale + offset.y, row[2] / scale, row[3] / scale);
        if (f.box.height < m_config.minFaceSizePx)
            continue;
        for (int k = 0; k < 5; ++k)
            f.landmarks[size_t(k)] = cv::Point2f(row[4 + 2 * k] / scale + offset.x, row[5 + 2 * k] / scale + offset.y);
        f.score = row[14];
        m_faces.push_back(f);
    }
}

void YuNetFaceAnalyzer::detectWholeFrame(const cv::Mat &bgr)
{
    const cv::Mat *input = &bgr;
    float scale = 1.f;
    if (bgr.cols > m_config.detectionWidth) {
        scale = float(m_config.detectionWidth) / float(bgr.cols);
        const cv::Size size(m_config.detectionWidth, std::max(1, int(std::lround(bgr.rows * double(scale)))));
        scale = float(size.width) / float(bgr.cols);
        cv::resize(bgr, m_scaled, size, 0, 0, cv::INTER_AREA); // reuses m_scaled while the size holds
        input = &m_scaled;
    }
    if (std::min(input->cols, input->rows) < kMinDetectorSide)
        return; // too small to hold a detectable face
    if (input->size() != m_frameDetectorSize) {
        m_frameDetector->setInputSize(input->size());
        m_frameDetectorSize = input->size();
    }
    m_frameDetector->detect(*input, m_yunetOut);
    ++m_timings.detectorRuns;
    appendFaces(m_yunetOut, scale, {0.f, 0.f},
                cv::Rect2f(0.f, 0.f, float(input->cols), float(input->rows)));
}

void YuNetFaceAnalyzer::detectUpperBodies(const cv::Mat &bgr, const QList<core::TrackObservation> &tracks)
{
    const cv::Rect frameRect(0, 0, bgr.cols, bgr.rows);
    const int side = m_config.roiInputSize;
    for (const core::TrackObservation &t : tracks) {
        const QRectF region = upperBodyRegion(t.box, m_config.upperBodyFraction);
        cv::Rect r(int(std::floor(region.x() * bgr.cols)), int(std::floor(region.y() * bgr.rows)),
                   int(std::ceil(region.width() * bgr.cols)), int(std::ceil(region.height() * bgr.rows)));
        r &= frameRect;
        if (r.width < 8 || r.height < std::max(8, int(m_config.minFaceSizePx)))
            continue;
        const double scale = std::min({double(side) / r.width, double(side) / r.height, kMaxRoiUpscale});
        const cv::Size placed(std::clamp(int(std::lround(r.width * scale)), 1, side),
                              std::clamp(int(std::lround(r.height * scale)), 1, side));
        scrub(m_roiCanvas);
        cv::Mat dst = m_roiCanvas(cv::Rect(cv::Point(0, 0), placed));
        cv::resize(bgr(r), dst, placed, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
        CV_Assert(dst.data == m_roiCanvas.data); // resized in place, no new buffer
        m_roiDetector->detect(m_roiCanvas, m_yunetOut);
        ++m_timings.detectorRuns;
        const float sx = float(placed.width) / float(r.width);
        appendFaces(m_yunetOut, sx, cv::Point2f(float(r.x), float(r.y)),
                    cv::Rect2f(0.f, 0.f, float(placed.width), float(placed.height)));
    }
    suppressDuplicates();
}

// Overlapping person regions find the same face more than once: keep the best-scoring box.
void YuNetFaceAnalyzer::suppressDuplicates()
{
    std::sort(m_faces.begin(), m_faces.end(), [](const RawFace &a, const RawFace &b) { return a.score > b.score; });
    std::vector<RawFace> kept;
    kept.reserve(m_faces.size());
    for (const RawFace &f : m_faces) {
        const bool dup = std::any_of(kept.cbegin(), kept.cend(),
                                     [&](const RawFace &k) { return iou(k.box, f.box) > m_config.nmsThreshold; });
        if (!dup)
            kept.push_back(f);
    }
    m_faces.swap(kept);
}

core::HeadPose YuNetFaceAnalyzer::estimatePose(const cv::Mat &bgr, const RawFace &face)
{
    if (face.box.height < m_config.poseModelMinFacePx) {
        std::array<QPointF, 5> lm;
        for (size_t k = 0; k < 5; ++k)
            lm[k] = QPointF(face.landmarks[k].x, face.landmarks[k].y);
        ++m_timings.landmarkPoses;
        return estimateHeadPoseFromLandmarks(lm);
    }
    const cv::Rect r = cv::Rect(face.box) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    if (r.width < 2 || r.height < 2) {
        std::array<QPointF, 5> lm;
        for (size_t k = 0; k < 5; ++k)
            lm[k] = QPointF(face.landmarks[k].x, face.landmarks[k].y);
        ++m_timings.landmarkPoses;
        return estimateHeadPoseFromLandmarks(lm);
    }
    cv::resize(bgr(r), m_poseCrop, m_poseCrop.size(), 0, 0, cv::INTER_LINEAR);
    cv::dnn::blobFromImage(m_poseCrop, m_poseBlob, 1.0, cv::Size(kPoseInput, kPoseInput), cv::Scalar(), false, false,
                           CV_32F);
    m_headPoseNet.setInput(m_poseBlob);
    m_headPoseNet.forward(m_outs, m_headPoseOutputs);
    ++m_timings.poseModelRuns;
    core::HeadPose pose;
    pose.yawDeg = m_outs[0].at<float>(0);
    pose.pitchDeg = m_outs[1].at<float>(0);
    pose.rollDeg = m_outs[2].at<float>(0);
    pose.lowConfidence = false;
    scrub(m_poseCrop);
    scrub(m_poseBlob);
    return pose;
}

core::DemographicSample YuNetFaceAnalyzer::estimateAgeGender(const cv::Mat &bgr, const RawFace &face)
{
    // Square of side max(w, h) centred on the face; the part outside the frame stays zero
    // (face-api pads to square with zeros).
    const float side = std::max(face.box.width, face.box.height);
    const cv::Rect2f square(face.box.x + face.box.width / 2.f - side / 2.f,
                            face.box.y + face.box.height / 2.f - side / 2.f, side, side);
    const cv::Rect src = cv::Rect(square) & cv::Rect(0, 0, bgr.cols, bgr.rows);
    scrub(m_demoCrop);
    const double s = kDemoInput / double(side);
    if (src.width > 0 && src.height > 0) {
        cv::Rect dst(int(std::lround((src.x - square.x) * s)), int(std::lround((src.y - square.y) * s)),
                     std::max(1, int(std::lround(src.width * s))), std::max(1, int(std::lround(src.height * s))));
        dst &= cv::Rect(0, 0, kDemoInput, kDemoInput);
        if (dst.width > 0 && dst.height > 0) {
            cv::Mat d = m_demoCrop(dst);
            cv::resize(bgr(src), d, dst.size(), 0, 0, s < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
        }
    }
    cv::dnn::blobFromImage(m_demoCrop, m_demoBlob, 1.0 / 255.0, cv::Size(kDemoInput, kDemoInput),
                           cv::Scalar(122.782, 117.001, 104.298), /*swapRB*/ true, false, CV_32F);
    m_ageGenderNet.setInput(m_demoBlob);
    m_ageGenderNet.forward(m_outs, m_ageGenderOutputs);
    ++m_timings.demographicRuns;
    core::DemographicSample sample;
    sample.ageYears = std::max(0.f, m_outs[0].at<float>(0));
    const float pMale = m_outs[1].at<float>(0);
    const float pFemale = m_outs[1].at<float>(1);
    sample.gender = pMale >= pFemale ? core::Gender::Male : core::Gender::Female;
    sample.genderConfidence = std::max(pMale, pFemale);
    scrub(m_demoCrop);
    scrub(m_demoBlob);
    return sample;
}

core::Result<QList<DetectedFace>> YuNetFaceAnalyzer::detectFaces(const cv::Mat &bgr)
{
    if (auto ok = checkFrame(bgr); !ok)
        return ok.error();
    const auto start = Clock::now();
    m_timings = {};
    m_faces.clear();
    ScrubGuard guard([this] { scrubScratch(); });
    try {
        detectWholeFrame(bgr);
        m_timings.detectMs = msSince(start);
        m_timings.facesDetected = int(m_faces.size());
        const auto poseStart = Clock::now();
        QList<DetectedFace> result;
        result.reserve(qsizetype(m_faces.size()));
        for (const RawFace &f : m_faces) {
            DetectedFace d;
            d.boxPx = QRectF(f.box.x, f.box.y, f.box.width, f.box.height);
            for (size_t k = 0; k < 5; ++k)
                d.landmarksPx[k] = QPointF(f.landmarks[k].x, f.landmarks[k].y);
            d.score = f.score;
            d.pose = estimatePose(bgr, f);
            result.append(d);
        }
        m_timings.poseMs = msSince(poseStart);
        m_timings.totalMs = msSince(start);
        return result;
    } catch (const cv::Exception &e) {
        return makeError(ErrorCode::Internal, QStringLiteral("face analyser: %1").arg(QString::fromStdString(e.what())));
    }
}

core::Result<QList<core::DemographicSample>> YuNetFaceAnalyzer::analyze(const cv::Mat &bgr,
                                                                        QList<core::TrackObservation> &tracks,
                                                                        const DemographicsWanted &wantDemographics)
{
    if (auto ok = checkFrame(bgr); !ok)
        return ok.error();
    const auto start = Clock::now();
    m_timings = {};
    m_faces.clear();
    for (core::TrackObservation &t : tracks)
        t.face.reset();
    ScrubGuard guard([this] { scrubScratch(); });
    QList<core::DemographicSample> samples;
    try {
        if (m_config.searchMode == FaceSearchMode::UpperBody)
            detectUpperBodies(bgr, tracks);
        else
            detectWholeFrame(bgr);
        m_timings.detectMs = msSince(start);
        m_timings.facesDetected = int(m_faces.size());
        if (m_faces.empty() || tracks.isEmpty()) {
            m_timings.totalMs = msSince(start);
            return samples;
        }

        const double fw = bgr.cols;
        const double fh = bgr.rows;
        QList<QRectF> boxes;
        boxes.reserve(qsizetype(m_faces.size()));
        for (const RawFace &f : m_faces)
            boxes.append(QRectF(f.box.x / fw, f.box.y / fh, f.box.width / fw, f.box.height / fh)
                             .intersected(QRectF(0.0, 0.0, 1.0, 1.0)));
        const QList<int> match = matchFacesToTracks(boxes, tracks, m_config.upperBodyFraction);

        const auto poseStart = Clock::now();
        double demoMs = 0.0;
        for (qsizetype t = 0; t < tracks.size(); ++t) {
            if (match[t] < 0)
                continue;
            const RawFace &f = m_faces[size_t(match[t])];
            core::FaceObservation obs;
            obs.box = boxes[match[t]];
            obs.sizePx = f.box.height;
            obs.pose = estimatePose(bgr, f);
            tracks[t].face = obs;
            ++m_timings.facesAttached;

            const bool eligible = !m_ageGenderNet.empty() && tracks[t].confirmed
                && f.box.height >= m_config.demographicsMinFacePx && !obs.pose->lowConfidence
                && std::abs(obs.pose->yawDeg) <= m_config.demographicsMaxAbsYawDeg;
            if (eligible && wantDemographics && wantDemographics(tracks[t].id)) {
                const auto demoStart = Clock::now();
                core::DemographicSample s = estimateAgeGender(bgr, f);
                s.trackId = tracks[t].id;
                samples.append(s);
                demoMs += msSince(demoStart);
            }
        }
        m_timings.demographicsMs = demoMs;
        m_timings.poseMs = msSince(poseStart) - demoMs;
        m_timings.totalMs = msSince(start);
        return samples;
    } catch (const cv::Exception &e) {
        for (core::TrackObservation &t : tracks)
            t.face.reset();
        return makeError(ErrorCode::Internal, QStringLiteral("face analyser: %1").arg(QString::fromStdString(e.what())));
    }
}

core::Result<std::unique_ptr<FaceAnalyzer>> createFaceAnalyzer(const FaceAnalyzerConfig &config)
{
    if (auto ok = validate(config); !ok)
        return ok.error();
    auto store = ModelStore::open(config.modelsDir);
    if (!store)
        return store.error();
    auto yunet = store->locate(kYunet);
    if (!yunet)
        return yunet.error();
    auto headPose = store->locate(kHeadPose);
    if (!headPose)
        return headPose.error();
    std::optional<LocatedModel> ageGender;
    if (config.demographicsEnabled) { // disabled: the model is not even looked at
        auto located = store->locate(kAgeGender);
        if (!located)
            return located.error();
        ageGender = std::move(located.value());
    }
    try {
        auto analyzer = std::make_unique<YuNetFaceAnalyzer>(config, yunet.value(), headPose.value(),
                                                            ageGender ? &*ageGender : nullptr);
        qCInfo(lcVision) << "face analyser loaded" << analyzer->modelVersions().join(QStringLiteral(", "))
                         << "search" << (config.searchMode == FaceSearchMode::UpperBody ? "upper-body" : "whole-frame")
                         << "demographics" << (config.demographicsEnabled ? "on" : "off");
        return std::unique_ptr<FaceAnalyzer>(std::move(analyzer));
    } catch (const cv::Exception &e) {
        return makeError(ErrorCode::Parse, QStringLiteral("cannot load face models from %1: %2")
                                               .arg(store->directory(), QString::fromStdString(e.what())));
    }
}

} // namespace signiq::vision
