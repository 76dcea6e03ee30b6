// Stand-alone helper used to make tests/data/vtest-annotation.csv (not part of the build; see
// ../README.md). Build: g++ -O1 -std=c++20 frametool.cpp -o frametool $(pkg-config --cflags --libs opencv4)
//  frametool detect VIDEO ONNX OUT.txt FRAMEDIR -> YOLOX-nano detections per frame (score >= 0.1, NMS 0.45)
//                                                 + every 10th frame as PNG in FRAMEDIR (/tmp, never committed)
//  frametool dumpall VIDEO DIR                 -> every frame as JPEG
//  frametool draw FRAMEDIR BOXES.txt OUTDIR     -> BOXES: "frame id x y w h [tag]" lines, drawn on the frames
//  frametool crop IN OUT x y w h scale
//  frametool montage DIR BOXES OUT x y w h scale cols frames... -> zoomed crops of many frames, boxes + ids
#include <opencv2/opencv.hpp>
#include <opencv2/dnn.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
int main(int argc, char **argv) {
    std::string mode = argv[1];
    if (mode == "detect") {
        cv::VideoCapture cap(argv[2]);
        cv::dnn::Net net = cv::dnn::readNetFromONNX(argv[3]);
        cv::setNumThreads(2);
        std::ofstream out(argv[4]);
        std::string dir = argv[5];
        const int S = 416;
        struct G { float gx, gy, s; };
        std::vector<G> grid;
        for (int s : {8, 16, 32}) for (int y = 0; y < S / s; ++y) for (int x = 0; x < S / s; ++x) grid.push_back({float(x), float(y), float(s)});
        cv::Mat frame, canvas(S, S, CV_8UC3), blob;
        int idx = 0;
        while (cap.read(frame)) {
            if (idx % 10 == 0) { char p[512]; snprintf(p, sizeof p, "%s/f%04d.png", dir.c_str(), idx); cv::imwrite(p, frame); }
            float r = std::min(float(S) / frame.cols, float(S) / frame.rows);
            int nw = int(frame.cols * r), nh = int(frame.rows * r);
            canvas.setTo(cv::Scalar::all(114));
            cv::Mat roi = canvas(cv::Rect(0, 0, nw, nh));
            cv::resize(frame, roi, roi.size());
            cv::dnn::blobFromImage(canvas, blob, 1.0, cv::Size(), cv::Scalar(), false, false, CV_32F);
            net.setInput(blob);
            cv::Mat o = net.forward();
            const float *d = o.ptr<float>();
            std::vector<cv::Rect2d> boxes; std::vector<float> scores;
            for (size_t i = 0; i < grid.size(); ++i) {
                const float *row = d + i * 85;
                float sc = row[4] * row[5];
                if (sc < 0.1f) continue;
                float cx = (row[0] + grid[i].gx) * grid[i].s / r, cy = (row[1] + grid[i].gy) * grid[i].s / r;
                float w = std::exp(row[2]) * grid[i].s / r, h = std::exp(row[3]) * grid[i].s / r;
                float x1 = std::clamp(cx - w / 2, 0.f, float(frame.cols)), y1 = std::clamp(cy - h / 2, 0.f, float(frame.rows));
                float x2 = std::clamp(cx + w / 2, 0.f, float(frame.cols)), y2 = std::clamp(cy + h / 2, 0.f, float(frame.rows));
                if (x2 - x1 < 1 || y2 - y1 < 1) continue;
                boxes.emplace_back(x1, y1, x2 - x1, y2 - y1); scores.push_back(sc);
            }
            std::vector<int> keep;
            cv::dnn::NMSBoxes(boxes, scores, 0.1f, 0.45f, keep);
            out << idx * 100 << ' ' << frame.cols << ' ' << frame.rows << ' ' << keep.size();
            for (int k : keep) out << ' ' << boxes[k].x << ' ' << boxes[k].y << ' ' << boxes[k].width << ' ' << boxes[k].height << ' ' << scores[k];
            out << '\n';
            ++idx;
        }
        return 0;
    }
    if (mode == "draw") {
        std::string dir = argv[2];
        std::ifstream in(argv[3]);
        std::string outdir = argv[4];
        std::map<int, std::vector<std::tuple<std::string, cv::Rect, std::string>>> byFrame;
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream ss(line); int f; std::string id, tag; double x, y, w, h;
            if (!(ss >> f >> id >> x >> y >> w >> h)) continue;
            ss >> tag;
            byFrame[f].push_back({id, cv::Rect(int(x), int(y), int(w), int(h)), tag});
        }
        for (auto &[f, v] : byFrame) {
            char p[512]; snprintf(p, sizeof p, "%s/f%04d.png", dir.c_str(), f);
            cv::Mat img = cv::imread(p);
            if (img.empty()) continue;
            for (auto &[id, r, tag] : v) {
                cv::Scalar col = tag == "d" ? cv::Scalar(0, 200, 255) : tag == "x" ? cv::Scalar(255, 0, 255) : cv::Scalar(0, 255, 0);
                cv::rectangle(img, r, col, 1);
                cv::putText(img, id, r.tl() + cv::Point(0, -2), cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 0), 3);
                cv::putText(img, id, r.tl() + cv::Point(0, -2), cv::FONT_HERSHEY_SIMPLEX, 0.45, col, 1);
            }
            cv::putText(img, std::to_string(f), {5, 20}, cv::FONT_HERSHEY_SIMPLEX, 0.7, cv::Scalar(0, 0, 255), 2);
            snprintf(p, sizeof p, "%s/f%04d.png", outdir.c_str(), f);
            cv::imwrite(p, img);
        }
        return 0;
    }
    if (mode == "crop") { // crop IN OUT x y w h scale
        cv::Mat img = cv::imread(argv[2]);
        cv::Rect r(atoi(argv[4]), atoi(argv[5]), atoi(argv[6]), atoi(argv[7]));
        r &= cv::Rect(0, 0, img.cols, img.rows);
        cv::Mat o; cv::resize(img(r), o, cv::Size(), atof(argv[8]), atof(argv[8]), cv::INTER_CUBIC);
        cv::imwrite(argv[3], o); return 0;
    }
    if (mode == "dumpall") { // dumpall VIDEO DIR
        cv::VideoCapture cap(argv[2]); cv::Mat f; int i = 0;
        while (cap.read(f)) { char p[512]; snprintf(p, sizeof p, "%s/a%04d.jpg", argv[3], i++); cv::imwrite(p, f, {cv::IMWRITE_JPEG_QUALITY, 92}); }
        return 0;
    }
    if (mode == "montage") { // montage DIR BOXES OUT x y w h scale cols frames...
        std::map<int, std::vector<std::tuple<std::string, cv::Rect>>> byFrame;
        { std::ifstream in(argv[3]); std::string line;
          while (std::getline(in, line)) { std::istringstream ss(line); int f; std::string id; double x, y, w, h;
            if (ss >> f >> id >> x >> y >> w >> h) byFrame[f].push_back({id, cv::Rect(int(x), int(y), int(w), int(h))}); } }
        cv::Rect r(atoi(argv[5]), atoi(argv[6]), atoi(argv[7]), atoi(argv[8]));
        double sc = atof(argv[9]); int cols = atoi(argv[10]);
        std::vector<cv::Mat> tiles;
        for (int a = 11; a < argc; ++a) {
            int f = atoi(argv[a]); char p[512]; snprintf(p, sizeof p, "%s/a%04d.jpg", argv[2], f);
            cv::Mat img = cv::imread(p); if (img.empty()) continue;
            cv::Mat big; cv::resize(img(r & cv::Rect(0,0,img.cols,img.rows)), big, cv::Size(), sc, sc, cv::INTER_CUBIC);
            for (auto &[id, b] : byFrame[f]) {
                cv::Rect bb((b.x - r.x) * sc, (b.y - r.y) * sc, b.width * sc, b.height * sc);
                cv::rectangle(big, bb, cv::Scalar(0, 255, 0), 1);
                cv::putText(big, id, bb.tl() + cv::Point(1, 12), cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar(0, 0, 0), 3);
                cv::putText(big, id, bb.tl() + cv::Point(1, 12), cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar(0, 255, 0), 1);
            }
            cv::putText(big, std::to_string(f), {3, 14}, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 255), 2);
            tiles.push_back(big);
        }
        int rows = (int(tiles.size()) + cols - 1) / cols; int tw = tiles[0].cols, th = tiles[0].rows;
        cv::Mat out(rows * th, cols * tw, CV_8UC3, cv::Scalar::all(0));
        for (size_t i = 0; i < tiles.size(); ++i) tiles[i].copyTo(out(cv::Rect(int(i % cols) * tw, int(i / cols) * th, tw, th)));
        cv::imwrite(argv[4], out); return 0;
    }
    return 1;
}
