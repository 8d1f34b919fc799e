// A tiny workdir for the train/predict/evaluate tests, made without the CNN: dummy "video" files
// (any bytes: the hash cache hashes any file) whose feature volumes are written straight into the
// FeatureStore under a made-up extractor spec, a manifest CSV and a segments CSV.
//
// Volumes are [T, 4], T = 6 + i % 3, timestamps t seconds, frame indices 10·t, seeded noise of
// ±0.1 on every value. Clip classes: dimension 0 ramps from −1 to 1 ("up") or from 1 to −1
// ("down"), so both classes hold the same values and only their order tells them apart. Frames
// classes: dimension 2 is −1 before frame k = 2 + i % 3 ("low") and +1 from it on ("high"); the
// segments CSV says so in seconds. With `motion`, volumes also hold a [T, 2] motion tensor whose
// first value is +0.5 ("up") or −0.5 ("down") plus noise, under a spec that names a motion
// descriptor. Shared by TrainingTests (in process) and VidactCLITests (the
// binary); not part of vidact.
import FeatureStore
import Foundation
import TensorCore

public struct SequenceFixture {
    public let dir: String
    public var workdir: String { dir + "/w" }
    public var manifest: String { dir + "/manifest.csv" }
    public var segments: String { dir + "/segments.csv" }
    public let count = 24

    public static let spec = ExtractorSpec(
        backbone: "efficientnet-lite0", weightsSHA256: String(repeating: "ab", count: 32), sampling: "fps:1.0",
        geometry: "short_side:256,crop:224", interpolation: "bilinear", applyRotation: true, normalization: "lite",
        pooling: .avg, dtype: .f32)

    public func video(_ i: Int) -> String { dir + "/clips/" + String(format: "v%02d.mp4", i) }
    public func label(_ i: Int) -> String { i % 2 == 0 ? "up" : "down" }
    public func split(_ i: Int) -> String { i < 16 ? "train" : i < 20 ? "val" : "test" }
    public func switchFrame(_ i: Int) -> Int { 2 + i % 3 }

    /// Writes everything; `cached` says which videos get a volume.
    public static let motionSpec: ExtractorSpec = {
        var spec = SequenceFixture.spec
        spec.motion = "test-motion"
        return spec
    }()

    public init(cached: (Int) -> Bool = { _ in true }, motion: Bool = false) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vidact-seq-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/clips", withIntermediateDirectories: true)
        let store = FeatureStore(workdir: dir + "/w")
        try store.recordUse(of: motion ? Self.motionSpec : Self.spec)
        var rng = SeededRNG(seed: 7)
        var manifestLines = ["video,label,split"]
        var segmentLines = ["video,start,end,label"]
        for i in 0..<count {
            try Data("dummy video \(i)\n".utf8).write(to: URL(fileURLWithPath: video(i)))
            let frames = 6 + i % 3
            if cached(i) {
                var volume = try volume(i, frames: frames, rng: &rng, spec: motion ? Self.motionSpec : Self.spec)
                if motion {
                    let sign: Float = label(i) == "up" ? 0.5 : -0.5
                    volume.motion = Tensor(
                        shape: [frames, 2], storage: (0..<frames).flatMap { _ in [sign + rng.uniform(-0.1, 0.1), 0] })
                }
                try store.write(volume)
            }
            manifestLines.append("clips/\((video(i) as NSString).lastPathComponent),\(label(i)),\(split(i))")
            let name = "clips/" + (video(i) as NSString).lastPathComponent
            segmentLines.append("\(name),0,\(switchFrame(i)),low")
            segmentLines.append("\(name),\(switchFrame(i)),\(frames),high")
        }
        try (manifestLines.joined(separator: "\n") + "\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        try (segmentLines.joined(separator: "\n") + "\n").write(toFile: segments, atomically: true, encoding: .utf8)
    }

    public func volume(
        _ i: Int, frames: Int, rng: inout SeededRNG, spec: ExtractorSpec = Self.spec
    ) throws -> FeatureVolume {
        var storage: [Float] = []
        for t in 0..<frames {
            let ramp = -1 + 2 * Float(t) / Float(frames - 1)
            let row: [Float] = [label(i) == "up" ? ramp : -ramp, 0, t < switchFrame(i) ? -1 : 1, 0.5]
            storage += row.map { $0 + rng.uniform(-0.1, 0.1) }
        }
        let sha = try ContentHash.sha256(path: video(i))
        return FeatureVolume(
            features: Tensor(shape: [frames, 4], storage: storage), timestamps: (0..<frames).map(Double.init),
            frameIndices: (0..<frames).map { Int64($0 * 10) },
            info: FeatureVolumeInfo(
                sourcePath: video(i), videoSHA256: sha, spec: spec, decodedFrames: frames * 10, headerFrames: nil,
                toolVersion: "test", created: "2025-01-01T00:00:00Z"))
    }

    public func remove() { try? FileManager.default.removeItem(atPath: dir) }
}
