// What `vidact classify` prints for one file: the ranked classes of the mean softmax over the
// sampled frames and, on request, of every frame; as text or as one JSON object per line.
import ConvNets
import Foundation
import VideoDecoding

struct ClassificationReport {
    let path: String
    let frames: [RGBFrame]
    let probabilities: [[Float]]
    let classifier: ImageNetClassifier
    let top: Int

    var mean: [ImageNetPrediction] { classifier.rank(ImageNetClassifier.mean(probabilities), top: top) }

    func text(perFrame: Bool) -> String {
        var lines = ["\(path) (\(frames.count) frame\(frames.count == 1 ? "" : "s")):"]
        lines += mean.map(Self.line)
        if perFrame {
            for (frame, row) in zip(frames, probabilities) {
                lines.append(String(format: "  frame %d at %.3f s:", frame.frameIndex, frame.time))
                lines += classifier.rank(row, top: top).map { "  " + Self.line($0) }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func line(_ p: ImageNetPrediction) -> String {
        String(format: "  %6.2f%%  %4d  %@", p.probability * 100, p.index, p.name)
    }

    private static func object(_ predictions: [ImageNetPrediction]) -> [[String: Any]] {
        predictions.map { ["index": $0.index, "name": $0.name, "probability": Double($0.probability)] }
    }

    func jsonLine(perFrame: Bool) -> String {
        var object: [String: Any] = ["path": path, "ok": true, "frames": frames.count, "top": Self.object(mean)]
        if perFrame {
            object["per_frame"] = zip(frames, probabilities).map { frame, row -> [String: Any] in
                [
                    "frame_index": frame.frameIndex, "timestamp": frame.timestamp, "time": frame.time,
                    "top": Self.object(classifier.rank(row, top: top)),
                ]
            }
        }
        return JSONLine.encode(object)
    }

    static func errorLine(path: String, error: DecodeError) -> String {
        JSONLine.encode(["path": path, "ok": false, "error": JSONLine.error(error)])
    }
}
