// A trained sequence model the catalog knows of: its name, checkpoint path, task, the extractor
// key of the features it was trained on, the hash of the configuration that trained it, its
// evaluation metrics (JSON), and when it was made. Unique by name; training again replaces it.
import Foundation
import GRDB

/// One row of the `model` table.
public struct ModelRecord: Sendable, Equatable {
    public var name: String
    /// Path of the checkpoint (safetensors).
    public var path: String
    /// "clip" (many-to-one) or "frame" (many-to-many), as the runner names tasks.
    public var task: String
    public var extractorKey: String
    public var configHash: String
    /// Evaluation metrics as JSON text, nil until evaluated.
    public var metricsJSON: String?
    public var created: Date

    public init(
        name: String, path: String, task: String, extractorKey: String, configHash: String,
        metricsJSON: String? = nil, created: Date
    ) {
        self.name = name
        self.path = path
        self.task = task
        self.extractorKey = extractorKey
        self.configHash = configHash
        self.metricsJSON = metricsJSON
        self.created = created
    }
}

extension ModelRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "model"

    public init(row: Row) throws {
        name = try row.decode(forColumn: "name")
        path = try row.decode(forColumn: "path")
        task = try row.decode(forColumn: "task")
        extractorKey = try row.decode(forColumn: "extractorKey")
        configHash = try row.decode(forColumn: "configHash")
        metricsJSON = try row.decode(forColumn: "metricsJSON")
        created = try row.decodeDate("created")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["name"] = name
        container["path"] = path
        container["task"] = task
        container["extractorKey"] = extractorKey
        container["configHash"] = configHash
        container["metricsJSON"] = metricsJSON
        container["created"] = created
    }
}
