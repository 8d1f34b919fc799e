// Models and predictions: a model is replaced by name; predictions are replaced per (model,
// video) and listed per model; feature entries are recorded, listed by key and rebuilt wholesale.
import Catalog
import Foundation
import Testing

struct ModelRecordTests {
    @Test func modelsAndPredictionsAreReplacedByKey() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let t0 = CatalogTestSupport.t0
        var model = ModelRecord(
            name: "ucf", path: "/w/models/ucf.safetensors", task: "clip", extractorKey: "k1", configHash: "c1",
            created: t0)
        try catalog.upsertModel(model)
        model.metricsJSON = #"{"accuracy":0.75}"#
        try catalog.upsertModel(model)
        #expect(try catalog.models() == [model])
        #expect(try catalog.model(name: "ucf") == model)
        #expect(try catalog.model(name: "other") == nil)

        let run = try catalog.beginRun(configJSON: "{}", configHash: "c1")
        func prediction(_ video: String, _ label: String, model: String = "ucf") -> PredictionRecord {
            PredictionRecord(
                runID: run.id, videoPath: video, videoSHA256: "sha-" + video, modelName: model, label: label,
                probability: 0.5, topKJSON: #"[{"label":"\#(label)","probability":0.5}]"#, created: t0)
        }
        try catalog.recordPredictions([prediction("/v/b.mp4", "run"), prediction("/v/a.mp4", "jump")])
        try catalog.recordPredictions([prediction("/v/a.mp4", "walk"), prediction("/v/a.mp4", "sit", model: "m2")])
        let predictions = try catalog.predictions(model: "ucf")
        #expect(predictions.map(\.videoPath) == ["/v/a.mp4", "/v/b.mp4"])
        #expect(predictions.map(\.label) == ["walk", "run"])
        #expect(predictions[0] == prediction("/v/a.mp4", "walk"))
        #expect(try catalog.predictions(model: "m2").map(\.label) == ["sit"])
    }

    @Test func featureEntriesRecordListAndRebuild() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        func entry(_ key: String, _ sha: String, frames: Int = 10) -> FeatureEntryRecord {
            FeatureEntryRecord(
                extractorKey: key, videoSHA256: sha, path: "/w/features/\(key)/\(sha).safetensors", frames: frames,
                width: 1280, dtype: "F16", created: CatalogTestSupport.t0)
        }
        try catalog.recordFeatureEntry(entry("k2", "bb"))
        try catalog.recordFeatureEntry(entry("k1", "aa"))
        try catalog.recordFeatureEntry(entry("k1", "aa", frames: 12))
        #expect(try catalog.featureEntries() == [entry("k1", "aa", frames: 12), entry("k2", "bb")])
        #expect(try catalog.featureEntries(key: "k2") == [entry("k2", "bb")])
        #expect(try catalog.featureEntry(key: "k1", videoSHA256: "aa")?.frames == 12)
        #expect(try catalog.removeFeatureEntry(key: "k2", videoSHA256: "bb"))
        #expect(try !catalog.removeFeatureEntry(key: "k2", videoSHA256: "bb"))
        try catalog.rebuildFeatureEntries([entry("k3", "cc"), entry("k3", "dd"), entry("k3", "cc", frames: 3)])
        #expect(try catalog.featureEntries() == [entry("k3", "cc", frames: 3), entry("k3", "dd")])
    }
}
