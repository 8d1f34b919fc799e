// The one error type of datasets, training, prediction and evaluation on cached features: what
// kind of problem, where (file and line when there is one) and a sentence for people that says
// what to do next (which command extracts a missing video, which extractor keys exist).
import Basics

/// A problem with a manifest, a segments file, the feature cache or a model, said for people.
public struct DatasetError: VidactError, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The manifest CSV is unreadable or malformed.
        case manifest
        /// The segments CSV is malformed or does not cover a video.
        case segments
        /// A captions CSV is malformed, or captions and videos disagree.
        case captions
        /// A video has no valid feature volume under the extractor key.
        case notCached = "not_cached"
        /// No extractor key could be chosen, or features and model disagree on it.
        case extractorKey = "extractor_key"
        /// A label is unknown to the model, or there are too few classes.
        case labels
        /// A model folder or checkpoint lacks what vidact needs.
        case model
    }

    public var kind: Kind
    public var file: String?
    public var line: Int?
    public var detail: String

    public init(_ kind: Kind, file: String? = nil, line: Int? = nil, _ detail: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.detail = detail
    }

    public var description: String {
        switch (file, line) {
        case (let file?, let line?): return "\(file):\(line): \(detail)"
        case (let file?, nil): return "\(file): \(detail)"
        default: return detail
        }
    }
}
