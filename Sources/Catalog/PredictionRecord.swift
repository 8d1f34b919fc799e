// What one model predicted for one video: the top label and its probability, the top-k list and,
// for frame-level models, the predicted segments (both JSON). One row per (model, video path):
// predicting again replaces it.
import Foundation
import GRDB

/// One row of the `prediction` table.
public struct PredictionRecord: Sendable, Equatable {
    /// The run that made the prediction, nil when made outside a run.
    public var runID: String?
    public var videoPath: String
    public var videoSHA256: String
    public var modelName: String
    public var label: String
    public var probability: Double
    /// `[{"label": …, "probability": …}, …]`, best first.
    public var topKJSON: String?
    /// `[{"label": …, "start": seconds, "end": seconds}, …]` for frame-level models.
    public var segmentsJSON: String?
    public var created: Date

    public init(
        runID: String? = nil, videoPath: String, videoSHA256: String, modelName: String, label: String,
        probability: Double, topKJSON: String? = nil, segmentsJSON: String? = nil, created: Date
    ) {
        self.runID = runID
        self.videoPath = videoPath
        self.videoSHA256 = videoSHA256
        self.modelName = modelName
        self.label = label
        self.probability = probability
        self.topKJSON = topKJSON
        self.segmentsJSON = segmentsJSON
        self.created = created
    }
}

extension PredictionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "prediction"

    public init(row: Row) throws {
        runID = try row.decode(forColumn: "runID")
        videoPath = try row.decode(forColumn: "videoPath")
        videoSHA256 = row["videoSHA256"]
        modelName = try row.decode(forColumn: "modelName")
        label = try row.decode(forColumn: "label")
        probability = try row.decode(forColumn: "probability")
        topKJSON = try row.decode(forColumn: "topKJSON")
        segmentsJSON = try row.decode(forColumn: "segmentsJSON")
        created = try row.decodeDate("created")
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["runID"] = runID
        container["videoPath"] = videoPath
        container["videoSHA256"] = videoSHA256
        container["modelName"] = modelName
        container["label"] = label
        container["probability"] = probability
        container["topKJSON"] = topKJSON
        container["segmentsJSON"] = segmentsJSON
        container["created"] = created
    }
}
