#pragma once

#include <QList>
#include <QPointF>
#include <QString>

namespace signiq::core {

// Floor coordinates (metres) follow one convention everywhere (docs/analytics.md, docs/faces.md):
// the origin is on the floor under the screen centre, x runs along the screen, positive to the
// right of someone standing in the room facing the screen, y points away from the screen into
// the room, heights are above the floor. Image coordinates are normalised (0..1, y down).

// One installer-measured correspondence between an image point and a floor position.
struct FloorCorrespondence {
    QPointF image;  // normalised image coordinates
    QPointF floorM; // floor position in metres
    bool operator==(const FloorCorrespondence &) const = default;
};

// Where the screen is: its centre in floor coordinates plus height above the floor, and its size.
struct ScreenGeometry {
    QPointF centreM;            // floor position under the screen centre (normally 0, 0)
    double centreHeightM = 1.5; // height of the screen centre above the floor
    double widthM = 1.0;
    double heightM = 0.6;
    bool operator==(const ScreenGeometry &) const = default;
};

// Where the camera is. Head pose is measured relative to the line from the face to the camera,
// so its position (not its orientation) turns a head pose into a direction in the room.
struct CameraPlacement {
    QPointF positionM;   // floor position under the camera
    double heightM = 2.0; // height of the lens above the floor
    bool operator==(const CameraPlacement &) const = default;
};

QList<double> defaultDistanceBandsM(); // 2, 4, 6 m

// The optional "calibration" object of zones.json (docs/analytics.md). The vision side turns
// floorPoints into a ground-plane homography; analytics uses the screen and camera geometry and
// the distance bands.
struct Calibration {
    QList<FloorCorrespondence> floorPoints; // >= 4, four of them with no three collinear
    ScreenGeometry screen;
    CameraPlacement camera;
    QList<double> distanceBandsM = defaultDistanceBandsM(); // band edges, strictly increasing, > 0

    // Assumed height of a head above the floor when turning a floor position into a head position.
    static constexpr double HeadHeightM = 1.6;
    static constexpr int MaxFloorPoints = 32;
    static constexpr int MaxDistanceBands = 8; // edges, so at most 9 bands
    static constexpr double MaxCoordinateM = 1000.0;
    static constexpr double MaxHeightM = 20.0;
    static constexpr double MaxScreenSizeM = 50.0;

    // Horizontal distance from a floor position to the floor point under the screen centre.
    double distanceToScreenM(QPointF floorM) const;

    // Number of bands: edges + 1.
    int distanceBandCount() const { return int(distanceBandsM.size()) + 1; }
    // Band i covers [edge[i-1], edge[i]); the first band starts at 0, the last is open-ended.
    // With the default edges: 1.99 -> 0 ("<2 m"), 2.0 -> 1 ("2-4 m"), 6.0 -> 3 (">6 m").
    int distanceBandFor(double distanceM) const;
    // "<2 m", "2-4 m", "4-6 m", ">6 m" for the default edges.
    QString distanceBandName(int band) const;

    bool operator==(const Calibration &) const = default;
};

// The optional "audience" object of zones.json: attention and demographics settings.
struct AudienceSettings {
    double attentionConeDeg = 20.0;    // half-angle of the cone around the screen centre
    double attentionMinS = 1.0;        // a glance counts as an attention event from this long on
    bool demographics = false;         // age/gender histograms on (the model is loaded only then)
    int k = 10;                        // demographic cells with fewer samples are suppressed
    double demographicWindowS = 300.0; // demographic window length, whole seconds

    static constexpr double MaxConeDeg = 90.0;
    static constexpr double MaxAttentionMinS = 60.0;
    static constexpr int MinK = 5;
    static constexpr int MaxK = 1000;
    static constexpr double MinDemographicWindowS = 300.0;
    static constexpr double MaxDemographicWindowS = 86400.0;

    bool operator==(const AudienceSettings &) const = default;
};

} // namespace signiq::core
