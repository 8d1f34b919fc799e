// The keys vidact's CLI and pipeline add to a sequence model checkpoint's `__metadata__` (beside
// those of `SequenceClassifier+Checkpoint.swift` and `Trainer+Checkpoint.swift`), all strings:
//
//   labels                  JSON array of the class names; class i is labels[i]
//   feature_extractor       the extractor key the model was trained on (`ExtractorSpec.key`)
//   feature_extractor_spec  that spec's canonical JSON (absent when the key had no spec.json)
//   manifest, segments      the files it was trained from (segments: frames task only)
//
// Features of any other extractor key are refused by `TrainedModel`.
import Basics
import FeatureStore
import Foundation

public enum ModelMetadata {
    public static let labels = "labels"
    public static let extractorKey = "feature_extractor"
    public static let extractorSpec = "feature_extractor_spec"
    public static let manifest = "manifest"
    public static let segments = "segments"

    /// The metadata entries of a model trained on these.
    public static func encode(
        labelNames: [String], extractorKey: String, spec: ExtractorSpec?, manifest: String, segments: String?
    ) -> [String: String] {
        var metadata = [
            Self.labels: CanonicalJSON.string(of: labelNames),
            Self.extractorKey: extractorKey, Self.manifest: manifest,
        ]
        if let spec { metadata[Self.extractorSpec] = spec.canonicalJSON }
        if let segments { metadata[Self.segments] = segments }
        return metadata
    }

    /// The class names stored under `labels`, or nil.
    public static func labelNames(_ metadata: [String: String]) -> [String]? {
        guard let json = metadata[labels] else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(json.utf8))
    }
}
