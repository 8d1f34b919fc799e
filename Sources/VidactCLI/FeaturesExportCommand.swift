// `vidact features export VIDEO|FILE --npy DIR`: a volume as plain NumPy files — features.npy
// (float32 [T, D], f16 volumes widened exactly), timestamps.npy (float64 [T]), frame_indices.npy
// (int64 [T]), motion.npy (float32 [T, D_m], when the volume has motion descriptors) and
// metadata.json (with `motion_names`, the meaning of each motion column) — for tools that do not
// read safetensors.
import ArgumentParser
import Extraction
import FeatureStore
import Foundation

struct FeaturesExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a cached volume as .npy files.")

    @Argument(help: "A video (looked up in the workdir) or a feature .safetensors file.")
    var source: String

    @Option(help: "Output folder for features.npy, timestamps.npy, frame_indices.npy, metadata.json.")
    var npy: String

    @Option(help: "Extractor key, when the video is cached under several.")
    var key: String?

    @OptionGroup var workdir: WorkdirOption

    mutating func run() throws {
        let path = try FeatureFileResolver.resolve(source, workdir: workdir.workdir, key: key)
        let volume = try FeatureFile.read(path)
        try FileManager.default.createDirectory(atPath: npy, withIntermediateDirectories: true)
        let (t, d) = (volume.frameCount, volume.width)
        try NPYFile.write(
            bytes: NPYFile.bytes(volume.features.storage), descr: "<f4", shape: [t, d], to: "\(npy)/features.npy")
        try NPYFile.write(
            bytes: NPYFile.bytes(volume.timestamps), descr: "<f8", shape: [t], to: "\(npy)/timestamps.npy")
        try NPYFile.write(
            bytes: NPYFile.bytes(volume.frameIndices), descr: "<i8", shape: [t], to: "\(npy)/frame_indices.npy")
        var written = "timestamps.npy, frame_indices.npy"
        if let motion = volume.motion {
            try NPYFile.write(
                bytes: NPYFile.bytes(motion.storage), descr: "<f4", shape: motion.shape, to: "\(npy)/motion.npy")
            written += ", motion.npy \(motion.shape)"
        }
        let info = volume.info
        var metadata: [String: Any] = [
            "source_path": info.sourcePath, "video_sha256": info.videoSHA256, "extractor_key": info.spec.key,
            "extractor_spec": info.spec.canonicalJSON, "created": info.created, "tool_version": info.toolVersion,
            "feature_file": path,
        ]
        if volume.motion != nil, info.spec.motion == MotionDescriptor.version {
            metadata["motion_names"] = MotionDescriptor.names
        }
        try (JSONLine.encode(metadata) + "\n").write(toFile: "\(npy)/metadata.json", atomically: true, encoding: .utf8)
        print("wrote \(npy)/features.npy [\(t), \(d)], \(written), metadata.json")
    }
}
