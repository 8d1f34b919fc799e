// `vidact features ls --workdir W [--json]`: one row per cached volume (video, T, D, dtype, size on
// disk, extractor key and its spec, created); invalid files are listed with their reason.
import ArgumentParser
import FeatureStore
import Foundation

struct FeaturesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the cached feature volumes of a workdir.")

    @OptionGroup var workdir: WorkdirOption

    @Flag(help: "One JSON object per volume.")
    var json = false

    mutating func run() throws {
        let store = FeatureStore(workdir: workdir.workdir)
        let entries = store.entries()
        if json {
            for entry in entries { print(JSONLine.encode(Self.object(entry))) }
            return
        }
        for key in Set(entries.map(\.key)).sorted() {
            let spec = store.keyRecord(key)?.spec ?? (try? entries.first { $0.key == key }?.content.get().info.spec)
            print("extractor \(key): \(spec?.summary ?? "spec unknown")")
            for entry in entries where entry.key == key {
                switch entry.content {
                case .success(let content):
                    print(
                        "  \(content.info.sourcePath)  T=\(content.shape[0]) D=\(content.shape[1]) "
                            + "\(content.info.spec.dtype.rawValue) \(Self.size(entry.size)) \(content.info.created)")
                case .failure(let error):
                    print("  INVALID \(entry.path): \(error.detail)")
                }
            }
        }
        if entries.isEmpty { print("no feature volumes under \(store.featuresRoot)") }
    }

    static func object(_ entry: FeatureEntry) -> [String: Any] {
        var object: [String: Any] = ["path": entry.path, "extractor_key": entry.key, "size_bytes": entry.size]
        switch entry.content {
        case .success(let content):
            object["video"] = content.info.sourcePath
            object["video_sha256"] = content.info.videoSHA256
            object["frames"] = content.shape[0]
            object["width"] = content.shape[1]
            object["dtype"] = content.info.spec.dtype.rawValue
            object["created"] = content.info.created
            object["spec"] = content.info.spec.summary
            object["valid"] = true
        case .failure(let error):
            object["valid"] = false
            object["error"] = error.detail
        }
        return object
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20
            ? String(format: "%.1f MiB", Double(bytes) / 1_048_576) : String(format: "%.1f KiB", Double(bytes) / 1024)
    }
}

/// Finds the feature file meant by a command-line argument: a `.safetensors` file as is, or a
/// video, looked up by content hash in the workdir (the newest volume when several extractor keys
/// hold it, unless `key` picks one).
enum FeatureFileResolver {
    static func resolve(_ argument: String, workdir: String, key: String?) throws -> String {
        if argument.hasSuffix(".safetensors") { return argument }
        let store = FeatureStore(workdir: workdir)
        let sha = try VideoHashCache(workdir: workdir).sha256(of: argument).sha256
        var entries = store.entries(forVideo: sha)
        if let key { entries = entries.filter { $0.key == key } }
        let newest = entries.max { lhs, rhs in
            ((try? lhs.content.get().info.created) ?? "") < ((try? rhs.content.get().info.created) ?? "")
        }
        guard let newest else {
            throw CLIError(
                "\(argument): no cached features\(key.map { " under extractor \($0)" } ?? "") in \(workdir); "
                    + "run `vidact features extract \(argument) --workdir \(workdir)`")
        }
        return newest.path
    }
}
