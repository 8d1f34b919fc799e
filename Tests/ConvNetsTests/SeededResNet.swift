// The seeded random ResNet weights the ResNet tests run (scripts/make-seeded-resnet, run by
// scripts/bootstrap, writes them into the git-ignored models/test/; 47 and 102 MB, not
// committed) and the committed PyTorch outputs for them (scripts/fixtures/make-resnet-fixtures).
// Before trusting the outputs, the local weights' SHA-256 must be the one the fixture was made
// from: a numpy that draws differently is caught here with a message saying so.
import Foundation
import SafeTensors
import TensorCore

@testable import ConvNets

enum SeededResNet {
    static let fixture = NaiveEfficientNetTests.root.appendingPathComponent(
        "Tests/ConvNetsTests/Fixtures/resnet_seeded_reference.safetensors"
    )
    .path

    /// A file the run needs and could not use, and what to do about it.
    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    /// models/test/<backbone>_seeded.safetensors, after checking it exists and has the SHA-256 the
    /// fixture records.
    static func weightsPath(_ backbone: Backbone) throws -> String {
        let path = NaiveEfficientNetTests.root.appendingPathComponent(
            "models/test/\(backbone.rawValue)_seeded.safetensors"
        )
        .path
        guard FileManager.default.fileExists(atPath: path) else {
            throw Unusable(
                description: "\(path) is missing: run scripts/bootstrap (or scripts/make-seeded-resnet) to make it")
        }
        let expected = try SafeTensorsFile(path: fixture).metadata["\(backbone.rawValue).weights_sha256"] ?? "?"
        let actual = try sha256(path)
        guard actual == expected else {
            throw Unusable(
                description: "\(path) has SHA-256 \(actual), but the PyTorch reference was made from \(expected): "
                    + "the weights are drawn differently (another numpy?). Rerun scripts/make-seeded-resnet --force; "
                    + "if it still differs, re-record with scripts/fixtures/make-resnet-fixtures")
        }
        return path
    }

    /// SHA-256 of a file by coreutils' sha256sum (the test target has no hashing library).
    static func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }

    /// PyTorch's `name` output (features, grid or logits) for the three photos.
    static func reference(_ backbone: Backbone, _ name: String) throws -> Tensor {
        try SafeTensorsFile(path: fixture).tensor("\(backbone.rawValue).\(name)")
    }
}
