#pragma once

#include "vision/tracking/ByteTracker.h"

#include <QtGlobal>

namespace signiq::pipeline {

struct EdgePipelineOptions {
    vision::TrackerConfig tracker;
    int detectEvery = 1;          // run the detector on every k-th frame; 0 = adaptive (DetectionScheduler)
    double targetFps = 0.0;       // for the adaptive scheduler; 0 = the source's nominal fps
    int queueCapacity = 0;        // frames between capture and processing; 0 = 1 for files, 2 for live sources
    float countScoreThreshold = 0.4f; // detections below only feed the tracker's second stage
    qint64 occupancySampleMs = 1000;  // occupancy time series resolution
    bool keepWindowsInReport = true;
    int facesEvery = 1;           // run the face analyser on every k-th frame on which the detector ran
};

} // namespace signiq::pipeline
