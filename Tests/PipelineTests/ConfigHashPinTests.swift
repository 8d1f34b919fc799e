// The config hashes of the committed pipelines are pinned: a refactor of the resolved config (its
// types, its encoding) must leave every existing pipeline's hash, and so every recorded run's
// identity in the catalog, unchanged. `Fixtures/config-hashes.json` holds each file's canonical
// JSON and SHA-256 as resolved on main before the typed-config redesign (issue 15), with the file
// placed at `/pinned/pipelines/NAME.yaml` so that resolved paths do not depend on the checkout.
// Re-record only with `RECORD_GOLDENS=1 swift test --filter ConfigHashPinTests`, and only for a
// deliberate change of the config format (which changes every run's hash).
import Basics
import Foundation
import Testing

@testable import Pipeline

struct ConfigHashPinTests {
    struct Pin: Codable, Equatable {
        var hash: String
        var canonicalJSON: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let pins = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/config-hashes.json")

    /// Small files that reach the enum cases the committed pipelines do not use (every sampling
    /// and geometry form, each layout, both tasks, optimizers and schedules, a ResNet backbone).
    static let variants: [(String, String)] = [
        (
            "fps-size-resnet",
            """
            version: 1
            dataset: {layout: folder_per_class, root: videos, val_fraction: 0.1, test_fraction: 0.3}
            extract:
              backbone: resnet18
              weights: r18.safetensors
              sampling: {fps: 2.5}
              geometry: {size: 320x240}
              interpolation: area
              rotation: false
              dtype: f32
            train: {task: clip, optimizer: adam, schedule: constant, bidirectional: true, pooling: max}
            evaluate: {split: val, plot: false}
            """
        ),
        (
            "stride-shortside-ucf",
            """
            version: 1
            workdir: /somewhere/else
            dataset: {layout: ucf101, root: UCF-101, split: 2, extensions: [AVI]}
            extract: {sampling: {stride: 3}, geometry: {short_side: 256}, normalization: imagenet, jobs: 1}
            train: {task: clip, inputs: both, projection: 64, clip_norm: 1, patience: 3, warmup_epochs: 2}
            predict: {videos: all, top_k: 2}
            """
        ),
        (
            "all-unlabelled",
            """
            version: 1
            dataset: {layout: unlabelled, root: incoming}
            extract: {sampling: all, pooling: grid2, batch: 4}
            predict: {model: ../models/lstm}
            """
        ),
        (
            "segments-frames",
            """
            version: 1
            dataset: {layout: manifest, manifest: m.csv, segments: s.csv}
            extract: {sampling: {segments: 12}}
            train: {task: frames, name: seg, layers: 2, dropout: 0.1}
            """
        ),
    ]

    /// Pins must not depend on where this machine keeps models ($VIDACT_MODELS, the checkout's
    /// models/): a file without `extract.models` resolves to `models` beside it, as before the search.
    static let besideOnly: PipelineConfig.ModelSearchOrder = {
        ModelSearch(places: [.init(folder: $0 + "/models", origin: "beside the pipeline file")])
    }

    static func current() throws -> [String: Pin] {
        let folder = root.appendingPathComponent("pipelines")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        var pins: [String: Pin] = [:]
        for name in names.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let config = try PipelineConfig.parse(text, file: "/pinned/pipelines/\(name)", modelSearch: besideOnly)
            pins[name] = Pin(hash: config.hash, canonicalJSON: config.canonicalJSON)
        }
        for (name, text) in variants {
            let config = try PipelineConfig.parse(text, file: "/pinned/pipelines/\(name).yaml", modelSearch: besideOnly)
            pins["variant:" + name] = Pin(hash: config.hash, canonicalJSON: config.canonicalJSON)
        }
        return pins
    }

    /// `vidact dump-config` writes a file that `vidact run` reads back to the same config (and hash).
    @Test func dumpedConfigsReadBackToTheSameHash() throws {
        let folder = Self.root.appendingPathComponent("pipelines")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        let texts = try names.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
        for (name, text) in zip(names, texts) + Self.variants.map({ ($0.0 + ".yaml", $0.1) }) {
            let file = "/pinned/pipelines/\(name)"
            let config = try PipelineConfig.parse(text, file: file, modelSearch: Self.besideOnly)
            let again = try PipelineConfig.parse(config.yaml, file: file, modelSearch: Self.besideOnly)
            #expect(again == config, "\(name): dump-config does not read back to the same config")
            #expect(again.hash == config.hash, "\(name)")
        }
    }

    @Test func committedPipelinesKeepTheirConfigHashes() throws {
        let current = try Self.current()
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(current).write(to: Self.pins)
        }
        let pinned = try JSONDecoder().decode([String: Pin].self, from: Data(contentsOf: Self.pins))
        #expect(pinned.count >= 4, "expected a pin for each of pipelines/*.yaml")
        #expect(Set(current.keys) == Set(pinned.keys), "pipelines/*.yaml and the pins disagree: re-record deliberately")
        for (name, pin) in pinned.sorted(by: { $0.key < $1.key }) {
            let now = current[name]
            #expect(now?.hash == pin.hash, "\(name): the config hash changed")
            #expect(now?.canonicalJSON == pin.canonicalJSON, "\(name): canonical JSON changed")
        }
    }
}
