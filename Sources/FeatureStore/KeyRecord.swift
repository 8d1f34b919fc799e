// `<workdir>/features/<key>/spec.json`: which spec a key folder holds and when a run last used it,
// so listings can show a readable spec without opening volumes, and `gc` can tell keys that no
// run uses any more. Format `vidact-key-record` version 1 (JSON); written atomically.
import Basics
import Foundation
import SafeTensors

/// The record of one extractor key.
public struct KeyRecord: Codable, Sendable, Equatable {
    public var format = "vidact-key-record"
    public var version = 1
    public var key: String
    public var spec: ExtractorSpec
    public var firstUsed: String
    public var lastUsed: String

    enum CodingKeys: String, CodingKey {
        case format, version, key, spec
        case firstUsed = "first_used"
        case lastUsed = "last_used"
    }
}

extension FeatureStore {
    func recordPath(key: String) -> String { "\(featuresRoot)/\(key)/spec.json" }

    /// Notes that a run uses `spec` now (creating the key folder and its record).
    public func recordUse(of spec: ExtractorSpec, at date: Date = Date()) throws {
        let key = spec.key
        try createDirectory("\(featuresRoot)/\(key)")
        let now = Self.timestamp(date)
        var record = keyRecord(key) ?? KeyRecord(key: key, spec: spec, firstUsed: now, lastUsed: now)
        record.lastUsed = now
        let encoder = CanonicalJSON.encoder(pretty: true)
        do {
            try AtomicFile.write(Array(try encoder.encode(record)) + [10], to: recordPath(key: key))
        } catch {
            throw FeatureStoreError(
                .io, path: recordPath(key: key), "cannot write key record: \(error)", errno: errnoOf(error))
        }
    }

    /// The record of `key`, or nil when it is missing or unreadable.
    public func keyRecord(_ key: String) -> KeyRecord? {
        guard let data = FileManager.default.contents(atPath: recordPath(key: key)),
            let record = try? JSONDecoder().decode(KeyRecord.self, from: data), record.key == key
        else { return nil }
        return record
    }

    /// The key folders under features/.
    public func keys() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: featuresRoot)) ?? []
        return names.filter { !$0.hasPrefix(".") && isDirectory("\(featuresRoot)/\($0)") }.sorted()
    }

    func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}
