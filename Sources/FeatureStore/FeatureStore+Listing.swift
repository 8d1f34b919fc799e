// Listing the volumes of a workdir, read-only: every `<key>/<xx>/<sha>.safetensors` is validated
// (header and metadata only, not the values), and reported with its size on disk; invalid files
// are listed with their reason rather than moved (listing never changes the workdir).
import Foundation

/// One cached volume, as `vidact features ls` shows it.
public struct FeatureEntry: Sendable {
    public var path: String
    public var key: String
    public var videoSHA256: String
    /// Bytes on disk.
    public var size: Int64
    /// The metadata and [T, D], or why the file is invalid.
    public var content: Result<(info: FeatureVolumeInfo, shape: [Int]), FeatureStoreError>
}

extension FeatureStore {
    /// Every volume under features/, sorted by key then video path.
    public func entries() -> [FeatureEntry] {
        var result: [FeatureEntry] = []
        for key in keys() {
            let keyRoot = "\(featuresRoot)/\(key)"
            let shards = (try? FileManager.default.contentsOfDirectory(atPath: keyRoot)) ?? []
            for shard in shards.sorted() where shard.count == 2 && isDirectory("\(keyRoot)/\(shard)") {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(keyRoot)/\(shard)")) ?? []
                for name in names.sorted() where !name.hasPrefix(".") && name.hasSuffix(".safetensors") {
                    let path = "\(keyRoot)/\(shard)/\(name)"
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
                    let content: Result<(info: FeatureVolumeInfo, shape: [Int]), FeatureStoreError>
                    do {
                        content = .success(try FeatureFile.validate(path))
                    } catch let error as FeatureStoreError {
                        content = .failure(error)
                    } catch {
                        content = .failure(FeatureStoreError(.io, path: path, "\(error)"))
                    }
                    result.append(
                        FeatureEntry(
                            path: path, key: key, videoSHA256: String(name.dropLast(".safetensors".count)),
                            size: size ?? 0, content: content))
                }
            }
        }
        return result.sorted { ($0.key, sourcePath($0)) < ($1.key, sourcePath($1)) }
    }

    private func sourcePath(_ entry: FeatureEntry) -> String {
        (try? entry.content.get().info.sourcePath) ?? entry.path
    }

    /// The valid volumes of `videoSHA256` under any key.
    public func entries(forVideo videoSHA256: String) -> [FeatureEntry] {
        keys().compactMap { key in
            let path = path(key: key, videoSHA256: videoSHA256)
            guard FileManager.default.fileExists(atPath: path),
                let content = try? FeatureFile.validate(path)
            else { return nil }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            return FeatureEntry(
                path: path, key: key, videoSHA256: videoSHA256, size: size ?? 0, content: .success(content))
        }
    }
}
