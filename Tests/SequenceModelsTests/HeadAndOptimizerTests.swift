// The linear layer and weighted, ignore-aware softmax cross-entropy against PyTorch (loss and the
// gradients of weight, bias and input), Adam and AdamW against `torch.optim` after 10 steps, global
// norm clipping and the learning-rate schedules on hand-computed values, and the SIMD arg-max per
// row against its one-at-a-time loop.
import Foundation
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

struct HeadAndOptimizerTests {
    @Test func linearAndCrossEntropyMatchPyTorch() throws {
        let file = try Fixtures.open("head_reference.safetensors")
        var layout = ParameterLayout()
        let linear = Linear(inputSize: 5, outputSize: 3, layout: &layout, prefix: "head.")
        var parameters = [Float](repeating: 0, count: layout.count)
        parameters.replaceSubrange(layout.entry("head.weight")!.range, with: try file.tensor("weight").storage)
        parameters.replaceSubrange(layout.entry("head.bias")!.range, with: try file.tensor("bias").storage)
        let x = try file.tensor("x")
        let labels = try file.array("targets", as: Int64.self).map { Int($0) }
        let logits = try linear.forward(parameters: parameters, input: x)
        let (loss, dLogits, weight) = SoftmaxCrossEntropy.lossAndGradient(
            logits: logits, labels: labels, classWeights: try file.tensor("class_weights").storage)
        #expect(weight == 5, "weights 1 + 0.5 + 2 + 0.5 + 1 of the 5 counted rows: \(weight)")
        expectRelative(Tensor(shape: [1], storage: [loss]), try file.tensor("loss"), 1e-5, "cross-entropy loss")
        var gradients = [Float](repeating: 0, count: layout.count)
        let dx = try linear.backward(parameters: parameters, gradients: &gradients, input: x, outputGradient: dLogits)
        expectRelative(dx, try file.tensor("grad.x"), 1e-5, "grad x")
        expectRelative(
            Tensor(shape: [3, 5], storage: Array(gradients[layout.entry("head.weight")!.range])),
            try file.tensor("grad.weight"), 1e-5, "grad weight")
        expectRelative(
            Tensor(shape: [3], storage: Array(gradients[layout.entry("head.bias")!.range])),
            try file.tensor("grad.bias"), 1e-5, "grad bias")
    }

    @Test func allIgnoredRowsGiveZeroLossAndGradient() {
        let logits = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let (loss, gradient, weight) = SoftmaxCrossEntropy.lossAndGradient(logits: logits, labels: [-1, -1])
        #expect(loss == 0 && weight == 0 && gradient.storage.allSatisfy { $0 == 0 })
    }

    @Test(arguments: OptimizerKind.allCases)
    func adamMatchesPyTorchAfterTenSteps(kind: OptimizerKind) throws {
        let file = try Fixtures.open("optimizer_reference.safetensors")
        let p0 = try file.tensor("\(kind.rawValue).p0.initial")
        let p1 = try file.tensor("\(kind.rawValue).p1.initial")
        let g0 = try file.tensor("\(kind.rawValue).p0.grads")
        let g1 = try file.tensor("\(kind.rawValue).p1.grads")
        var parameters = p0.storage + p1.storage
        var adam = AdamOptimizer(kind: kind, parameterCount: parameters.count, weightDecay: 0.1)
        for step in 0..<10 {
            let gradients =
                Array(g0.storage[(step * 12)..<((step + 1) * 12)]) + Array(g1.storage[(step * 5)..<((step + 1) * 5)])
            adam.update(parameters: &parameters, gradients: gradients, learningRate: 0.01)
        }
        let expected =
            try file.tensor("\(kind.rawValue).p0.final").storage + file.tensor("\(kind.rawValue).p1.final").storage
        let moved = zip(parameters, p0.storage + p1.storage).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 0.05, "10 steps at lr 0.01 must move the parameters: \(moved)")
        expectRelative(
            Tensor(shape: [17], storage: parameters), Tensor(shape: [17], storage: expected), 1e-5,
            "\(kind.rawValue) after 10 steps")
    }

    @Test func clippingScalesToTheMaximumNorm() {
        var gradients: [Float] = [3, 4, 0]
        let norm = GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
        #expect(norm == 5)
        let scaled = gradients.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(abs(scaled - 1) < 1e-6, "norm after clipping \(scaled)")
        var small: [Float] = [0.3, 0.4]
        GradientClipping.clipGlobalNorm(&small, maxNorm: 1)
        #expect(small == [0.3, 0.4], "a norm below the maximum is left alone")
    }

    @Test func schedulesGiveTheDocumentedRates() {
        let constant = LearningRateSchedule.constant
        #expect(constant.rate(base: 1, step: 0, totalSteps: 10, warmupSteps: 4) == 0.25)
        #expect(constant.rate(base: 1, step: 3, totalSteps: 10, warmupSteps: 4) == 1)
        #expect(constant.rate(base: 1, step: 9, totalSteps: 10, warmupSteps: 4) == 1)
        let step = LearningRateSchedule.step(every: 2, gamma: 0.5)
        #expect(
            [0, 1, 2, 3, 4].map { step.rate(base: 1, step: $0, totalSteps: 5, warmupSteps: 0) } == [
                1, 1, 0.5, 0.5, 0.25,
            ])
        let cosine = LearningRateSchedule.cosine(minimumFraction: 0.1)
        #expect(cosine.rate(base: 2, step: 2, totalSteps: 12, warmupSteps: 2) == 2)
        #expect(abs(cosine.rate(base: 2, step: 7, totalSteps: 12, warmupSteps: 2) - 1.1) < 1e-6)
        #expect(abs(cosine.rate(base: 2, step: 12, totalSteps: 12, warmupSteps: 2) - 0.2) < 1e-6)
    }

    /// `argmaxRows` (row maximum on SIMD lanes, then its first index) against the one-at-a-time
    /// loop on rows with ties, NaN first and later, all −∞, short rows and partial vectors.
    @Test func argmaxRowsEqualsTheNaiveLoop() {
        var rng = SeededRNG(seed: 31)
        let classes = 37
        var rows: [[Float]] = (0..<40).map { _ in (0..<classes).map { _ in Float(Int(rng.uniformFloat() * 5)) } }
        rows.append([Float](repeating: -.infinity, count: classes))
        rows.append([.nan] + (1..<classes).map { Float($0) })
        rows.append((0..<classes).map { $0 == 20 ? .nan : ($0 == 30 ? 9 : 1) })
        rows.append((0..<classes).map { $0 == 36 ? .infinity : 0 })
        rows.append([.nan] + [Float](repeating: .nan, count: classes - 1))
        let logits = Tensor(shape: [rows.count, classes], storage: rows.flatMap { $0 })
        let fast = SoftmaxCrossEntropy.argmaxRows(logits)
        let naive = rows.map { row in
            row.withUnsafeBufferPointer { SoftmaxCrossEntropy.argmaxRowNaive($0.start, count: classes) }
        }
        #expect(fast == naive)
        #expect(fast[40] == 0 && fast[41] == 0 && fast[42] == 30 && fast[43] == 36)
        let short = Tensor(shape: [2, 3], storage: [1, 3, 3, 2, 2, 1])
        #expect(SoftmaxCrossEntropy.argmaxRows(short) == [1, 0])
    }
}
