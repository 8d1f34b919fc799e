// The feature file format, `vidact-features` version 1 or 2: one safetensors file per video per
// extractor spec, readable in Python with `safetensors.numpy.load_file`.
//
//   features       [T, D]    F16 or F32 (the spec's dtype)
//   timestamps     [T]       F64 seconds since the video's first decoded frame
//   frame_indices  [T]       I64 decode-order index of each sampled frame
//   motion         [T, D_m]  F32 motion descriptors at the same frames (version 2 only, present
//                            exactly when the spec has `motion`; see Extraction's MotionDescriptor)
//   __metadata__   format "vidact-features", version "1" (no motion) or "2", source_path, video_sha256,
//                  extractor_key, extractor_spec (canonical JSON), decoded_frames, header_frames
//                  (decimal, or "" when unknown), tool_version, created (ISO 8601 UTC),
//                  timestamps ("seconds since first decoded frame")
//
// Reading validates before anything is trusted: the safetensors header (lengths, offsets, sizes —
// `SafeTensorsFile`), then exactly these three tensors with these dtypes and consistent shapes
// (T ≥ 1, D ≥ 1), the format name and version, a parsable spec whose key is the stored key, and
// finite timestamps. Any failure is a `FeatureStoreError(.invalidFile)` naming the file and the
// first problem found.
import Foundation
import SafeTensors
import TensorCore

/// Reading and writing feature files.
public enum FeatureFile {
    public static let formatName = "vidact-features"
    /// The version written for a volume without motion; files with motion are `motionFormatVersion`.
    /// Version 1 files (vidact before motion) stay valid: they are exactly version 2 without motion.
    public static let formatVersion = "1"
    public static let motionFormatVersion = "2"

    /// Writes `volume` to `path` atomically (temporary name in the same folder, fsync, rename,
    /// fsync of the folder).
    public static func write(_ volume: FeatureVolume, to path: String) throws {
        let info = volume.info
        var writer = SafeTensorsWriter(metadata: [
            "format": formatName,
            "version": volume.motion == nil ? formatVersion : motionFormatVersion,
            "source_path": info.sourcePath,
            "video_sha256": info.videoSHA256,
            "extractor_key": info.spec.key,
            "extractor_spec": info.spec.canonicalJSON,
            "decoded_frames": info.decodedFrames.map(String.init) ?? "",
            "header_frames": info.headerFrames.map(String.init) ?? "",
            "tool_version": info.toolVersion,
            "created": info.created,
            "timestamps": "seconds since first decoded frame",
        ])
        writer.add("features", volume.features, dtype: info.spec.dtype == .f16 ? .f16 : .f32)
        writer.add("timestamps", volume.timestamps, shape: [volume.frameCount])
        writer.add("frame_indices", volume.frameIndices, shape: [volume.frameCount])
        if let motion = volume.motion { writer.add("motion", motion, dtype: .f32) }
        do {
            try writer.write(to: path)
        } catch let error as SafeTensorsError {
            throw FeatureStoreError(.io, path: path, "cannot write: \(error.detail)", errno: error.code)
        }
    }

    /// Reads and validates the whole file.
    public static func read(_ path: String) throws -> FeatureVolume {
        let (file, info) = try open(path)
        do {
            let features = try file.tensor("features")
            let timestamps = try file.array("timestamps", as: Double.self)
            let frameIndices = try file.array("frame_indices", as: Int64.self)
            guard timestamps.allSatisfy(\.isFinite) else {
                throw FeatureStoreError(.invalidFile, path: path, "timestamps contain NaN or infinity")
            }
            let motion = file.names.contains("motion") ? try file.tensor("motion") : nil
            return FeatureVolume(
                features: features, timestamps: timestamps, frameIndices: frameIndices, motion: motion, info: info)
        } catch let error as SafeTensorsError {
            throw FeatureStoreError(.invalidFile, path: path, error.detail)
        }
    }

    /// Validates the file like `read` but reads only the sampled frames' timestamps and indices,
    /// not the T×D feature values (for callers that need the timeline, such as reports).
    public static func readTimeline(_ path: String) throws -> (timestamps: [Double], frameIndices: [Int64]) {
        let (file, _) = try open(path)
        do {
            let timestamps = try file.array("timestamps", as: Double.self)
            guard timestamps.allSatisfy(\.isFinite) else {
                throw FeatureStoreError(.invalidFile, path: path, "timestamps contain NaN or infinity")
            }
            return (timestamps, try file.array("frame_indices", as: Int64.self))
        } catch let error as SafeTensorsError {
            throw FeatureStoreError(.invalidFile, path: path, error.detail)
        }
    }

    /// Validates the header, tensors and metadata without reading the feature values; gives the
    /// metadata and the shape [T, D].
    public static func validate(_ path: String) throws -> (info: FeatureVolumeInfo, shape: [Int]) {
        let (file, info) = try open(path)
        return (info, try file.info("features").shape)
    }

    private static func open(_ path: String) throws -> (SafeTensorsFile, FeatureVolumeInfo) {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(path: path)
        } catch let error as SafeTensorsError {
            let ioKinds: [SafeTensorsError.Kind] = [.fileNotFound, .permissionDenied, .ioError]
            let kind: FeatureStoreError.Kind = ioKinds.contains(error.kind) ? .io : .invalidFile
            throw FeatureStoreError(kind, path: path, error.detail)
        }
        func invalid(_ detail: String) -> FeatureStoreError { FeatureStoreError(.invalidFile, path: path, detail) }
        let meta = file.metadata
        guard meta["format"] == formatName else {
            throw invalid(
                "not a vidact feature file (metadata format is \(meta["format"].map { "\"\($0)\"" } ?? "missing"))")
        }
        guard meta["version"] == formatVersion || meta["version"] == motionFormatVersion else {
            throw invalid(
                "feature format version \(meta["version"] ?? "missing"); this vidact reads versions \(formatVersion) "
                    + "and \(motionFormatVersion)")
        }
        let spec: ExtractorSpec
        do {
            spec = try ExtractorSpec.parse(meta["extractor_spec"] ?? "")
        } catch {
            throw invalid("extractor_spec metadata is missing or not a valid spec")
        }
        let expected: Set<String> =
            spec.motion == nil
            ? ["features", "timestamps", "frame_indices"] : ["features", "timestamps", "frame_indices", "motion"]
        guard Set(file.names) == expected else {
            throw invalid("tensors are \(file.names.sorted()), expected \(expected.sorted().joined(separator: ", "))")
        }
        guard (spec.motion == nil) == (meta["version"] == formatVersion) else {
            throw invalid(
                "version \(meta["version"] ?? "missing") does not fit a spec \(spec.motion == nil ? "without" : "with") motion"
            )
        }
        guard meta["extractor_key"] == spec.key else {
            throw invalid("extractor_key \(meta["extractor_key"] ?? "missing") does not match its spec (\(spec.key))")
        }
        guard let sha = meta["video_sha256"], sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
            throw invalid("video_sha256 metadata is missing or malformed")
        }
        let features = try file.info("features")
        let timestamps = try file.info("timestamps")
        let indices = try file.info("frame_indices")
        let expectedDType: DType = spec.dtype == .f16 ? .f16 : .f32
        guard features.dtype == expectedDType, timestamps.dtype == .f64, indices.dtype == .i64 else {
            throw invalid(
                "dtypes features \(features.dtype.rawValue), timestamps \(timestamps.dtype.rawValue), "
                    + "frame_indices \(indices.dtype.rawValue); expected \(expectedDType.rawValue), F64, I64")
        }
        guard features.shape.count == 2, features.shape[0] >= 1, features.shape[1] >= 1,
            timestamps.shape == [features.shape[0]], indices.shape == [features.shape[0]]
        else {
            throw invalid(
                "shapes features \(features.shape), timestamps \(timestamps.shape), frame_indices \(indices.shape) "
                    + "do not fit [T, D], [T], [T] with T, D ≥ 1")
        }
        if spec.motion != nil {
            let motion = try file.info("motion")
            guard motion.dtype == .f32, motion.shape.count == 2, motion.shape[0] == features.shape[0],
                motion.shape[1] >= 1
            else {
                throw invalid(
                    "motion is \(motion.dtype.rawValue) \(motion.shape); expected F32 [\(features.shape[0]), D_m]")
            }
        }
        let info = FeatureVolumeInfo(
            sourcePath: meta["source_path"] ?? "", videoSHA256: sha, spec: spec,
            decodedFrames: meta["decoded_frames"].flatMap { Int($0) },
            headerFrames: meta["header_frames"].flatMap { Int($0) },
            toolVersion: meta["tool_version"] ?? "", created: meta["created"] ?? "")
        return (file, info)
    }
}
