// The classifier's ranking does not depend on how pictures are split into forward passes, and it
// names the classes from models/imagenet_classes.txt.
import Foundation
import Testing

@testable import ConvNets

struct ImageNetClassifierTests {
    @Test func batchingDoesNotChangeTheRanking() throws {
        let models = NaiveEfficientNetTests.root.appendingPathComponent("models")
        let weights = models.appendingPathComponent("efficientnet_lite0.safetensors").path
        let classes = models.appendingPathComponent("imagenet_classes.txt").path
        guard FileManager.default.fileExists(atPath: weights) else {
            Issue.record("missing \(weights): run scripts/fetch-weights (scripts/bootstrap does)")
            return
        }
        let pictures = try (0..<3).map { try NaiveEfficientNetTests.reference($0, norm: "lite_127_128").picture }
        let one = try ImageNetClassifier(weightsPath: weights, classesPath: classes, batch: 1).classify(pictures)
        let all = try ImageNetClassifier(weightsPath: weights, classesPath: classes, batch: 3).classify(pictures)
        #expect(one.map(\.index) == all.map(\.index))
        for (a, b) in zip(one, all) { #expect(abs(a.probability - b.probability) < 1e-5) }
        // Averaged over a cat, a coffee and a rocket, the top class is still one of the three.
        #expect([282, 967, 657].contains(one.first?.index ?? -1))
        #expect(one.first?.name.isEmpty == false)
    }

    @Test func missingModelFilesAreNamed() {
        #expect(throws: ClassifierError.self) {
            _ = try ImageNetClassifier(weightsPath: "/nonexistent/w.safetensors", classesPath: "/nonexistent/c.txt")
        }
    }
}
