// `LSTM` against `torch.nn.LSTM` (fixtures: outputs, final states, loss and every gradient for 1-
// and 2-layer, uni- and bidirectional LSTMs on variable lengths), against its naive Double twin on
// seeded input, against finite differences of that twin, and the padding and dropout rules.
import SafeTensors
import TensorCore
import Testing

@testable import SequenceModels

struct LSTMTests {
    @Test(arguments: ["l1_uni", "l1_bi", "l2_uni", "l2_bi"])
    func matchesPyTorch(name: String) throws {
        let file = try Fixtures.open("lstm_reference.safetensors")
        let bidirectional = name.hasSuffix("_bi")
        let config = LSTMConfiguration(
            inputSize: 5, hiddenSize: 4, layers: name.hasPrefix("l2") ? 2 : 1, bidirectional: bidirectional)
        var layout = ParameterLayout()
        let lstm = LSTM(configuration: config, layout: &layout, prefix: "")
        var parameters = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let tensor = try file.tensor("\(name).\(entry.name)")
            #expect(tensor.shape == entry.shape, "\(entry.name)")
            parameters.replaceSubrange(entry.range, with: tensor.storage)
        }
        let lengths = try file.array("\(name).lengths", as: Int64.self).map { Int($0) }
        let t = { (key: String) in try file.tensor("\(name).\(key)") }
        let forward = try lstm.forward(
            parameters: parameters, input: try t("input"), lengths: lengths,
            initialState: LSTMState(h: try t("h0"), c: try t("c0")))
        expectRelative(forward.output, try t("output"), 1e-5, "\(name) output")
        expectRelative(forward.finalState.h, try t("h_n"), 1e-5, "\(name) h_n")
        expectRelative(forward.finalState.c, try t("c_n"), 1e-5, "\(name) c_n")
        let (rOut, rH, rC) = (try t("r_out"), try t("r_h"), try t("r_c"))
        let loss = (forward.output * rOut).sum() + (forward.finalState.h * rH).sum() + (forward.finalState.c * rC).sum()
        expectRelative(Tensor(shape: [1], storage: [loss]), try t("loss"), 1e-5, "\(name) loss")

        var gradients = [Float](repeating: 0, count: layout.count)
        let (dInput, dInitial) = try lstm.backward(
            parameters: parameters, gradients: &gradients, cache: forward.cache, outputGradient: rOut,
            finalStateGradient: LSTMState(h: rH, c: rC))
        expectRelative(try #require(dInput), try t("grad.input"), 1e-5, "\(name) grad input")
        expectRelative(dInitial.h, try t("grad.h0"), 1e-5, "\(name) grad h0")
        expectRelative(dInitial.c, try t("grad.c0"), 1e-5, "\(name) grad c0")
        for entry in layout.entries {
            let actual = Tensor(shape: entry.shape, storage: Array(gradients[entry.range]))
            expectRelative(actual, try t("grad.\(entry.name)"), 1e-5, "\(name) grad \(entry.name)")
        }
    }

    /// The naive twin's forward pass over the same parameters, input and initial state.
    static func naiveForward(
        _ lstm: LSTM, _ parameters: [Float], _ input: Tensor, _ lengths: [Int], _ state: LSTMState
    ) -> (output: [Double], h: [Double], c: [Double]) {
        NaiveLSTM.forward(
            lstm, parameters: parameters.map(Double.init), input: input.storage.map(Double.init), lengths: lengths,
            initialH: state.h.storage.map(Double.init), initialC: state.c.storage.map(Double.init))
    }

    static func randomSetup(
        _ config: LSTMConfiguration, steps: Int, lengths: [Int], seed: UInt64
    ) -> (lstm: LSTM, parameters: [Float], input: Tensor, state: LSTMState) {
        var layout = ParameterLayout()
        let lstm = LSTM(configuration: config, layout: &layout)
        var rng = SeededRNG(seed: seed)
        let parameters = (0..<layout.count).map { _ in rng.uniform(-0.6, 0.6) }
        let input = Tensor.uniform(shape: [steps, lengths.count, config.inputSize], -1, 1, using: &rng)
        let stateShape = [config.layers * config.directions, lengths.count, config.hiddenSize]
        let state = LSTMState(
            h: .uniform(shape: stateShape, -1, 1, using: &rng), c: .uniform(shape: stateShape, -1, 1, using: &rng))
        return (lstm, parameters, input, state)
    }

    /// `long`: 50 steps of 6 sequences, an input of at least `InputZeros.rowsForStoredTranspose`
    /// rows, which goes through a transposed copy of W_ih on CPUs with AVX-512
    /// (`GEMM.manyRowsPreferStoredTranspose`).
    @Test(arguments: [(1, false, false), (2, true, false), (3, false, false), (2, true, true)])
    func gemmPathMatchesNaiveTwin(layers: Int, bidirectional: Bool, long: Bool) throws {
        let config = LSTMConfiguration(inputSize: 19, hiddenSize: 13, layers: layers, bidirectional: bidirectional)
        let (steps, lengths) = long ? (50, [50, 17, 50, 3, 44, 50]) : (9, [9, 1, 0, 7, 9, 4])
        #expect(!long || steps * lengths.count >= InputZeros.rowsForStoredTranspose)
        let (lstm, parameters, input, state) = Self.randomSetup(config, steps: steps, lengths: lengths, seed: 7)
        let fast = try lstm.forward(parameters: parameters, input: input, lengths: lengths, initialState: state)
        let naive = Self.naiveForward(lstm, parameters, input, lengths, state)
        let toTensor = { (values: [Double], shape: [Int]) in Tensor(shape: shape, storage: values.map(Float.init)) }
        expectRelative(fast.output, toTensor(naive.output, fast.output.shape), 1e-5, "naive twin output")
        expectRelative(fast.finalState.h, toTensor(naive.h, state.h.shape), 1e-5, "naive twin h_n")
        expectRelative(fast.finalState.c, toTensor(naive.c, state.c.shape), 1e-5, "naive twin c_n")
    }

    /// `InputZeros.project` through W_ih or its stored transpose gives the same gates, skipping a
    /// zero tail and block (on any CPU; `LSTM` takes the transposed path only on AVX-512).
    @Test func projectionThroughTransposedWeightsMatchesTheDirectOne() throws {
        let (rows, width, gates) = (10, 7, 12)
        var rng = SeededRNG(seed: 21)
        var x = (0..<(rows * width)).map { _ in rng.uniform(-1, 1) }
        for r in 0..<rows {
            for j in 0..<width where r >= 8 || (r < 3 && j >= 4) { x[r * width + j] = 0 }
        }
        let w = (0..<(gates * width)).map { _ in rng.uniform(-1, 1) }
        var wT = [Float](repeating: 0, count: w.count)
        w.withUnsafeBufferPointer { w in
            wT.withUnsafeMutableBufferPointer {
                RowMajor.transpose(w.start, rows: gates, columns: width, into: $0.start)
            }
        }
        let zeros = x.withUnsafeBufferPointer { InputZeros(scanning: $0.start, rows: rows, width: width) }
        #expect(zeros == InputZeros(width: width, rows: 8, leadingRows: 3, column: 4))
        var (direct, viaTranspose) = (
            [Float](repeating: 0.5, count: rows * gates), [Float](repeating: 0.5, count: rows * gates)
        )
        try x.withUnsafeBufferPointer { x in
            try w.withUnsafeBufferPointer {
                try zeros.project(x.start, weights: $0.start, gates: &direct, gateWidth: gates)
            }
            try wT.withUnsafeBufferPointer {
                try zeros.project(x.start, weights: $0.start, transposed: true, gates: &viaTranspose, gateWidth: gates)
            }
        }
        let expected = Naive.matmul(
            Tensor(shape: [rows, width], storage: x),
            Tensor(shape: [width, gates], storage: wT))
        for i in direct.indices {
            #expect(abs(direct[i] - 0.5 - expected.storage[i]) < 1e-5, "direct gate \(i)")
            #expect(abs(viaTranspose[i] - 0.5 - expected.storage[i]) < 1e-5, "transposed gate \(i)")
        }
    }

    /// Central differences of the Double twin's loss sum(out·r) + sum(h_n·r_h) + sum(c_n·r_c) against
    /// the f32 backward, for every parameter, input value and initial state value.
    /// `zeros`: `tail`, the input's last two steps are zero in every sequence (as S2VT's encoder
    /// reads no frame while it emits words); `block`, the last two of the three columns are zero in
    /// the first two steps (as S2VT's decoder reads no word while it reads frames). The GEMMs skip
    /// both, exactly; the input gradient of the zeros is still computed (`constantZeroInput` false).
    @Test(arguments: [
        (1, true, InputZeroCase.none), (2, false, .none), (2, true, .none), (2, false, .tail), (1, true, .block),
    ])
    func gradientsMatchFiniteDifferences(layers: Int, bidirectional: Bool, zeros: InputZeroCase) throws {
        let config = LSTMConfiguration(inputSize: 3, hiddenSize: 2, layers: layers, bidirectional: bidirectional)
        let lengths = [4, 2, 3]
        var (lstm, parameters, input, state) = Self.randomSetup(config, steps: 4, lengths: lengths, seed: 11)
        input = zeros.applied(to: input)
        let found = input.storage.withUnsafeBufferPointer { InputZeros(scanning: $0.start, rows: 12, width: 3) }
        #expect(found == zeros.expected, "zero regions found: \(found)")
        var rng = SeededRNG(seed: 12)
        let forward = try lstm.forward(parameters: parameters, input: input, lengths: lengths, initialState: state)
        let rOut = Tensor.uniform(shape: forward.output.shape, -1, 1, using: &rng)
        let rH = Tensor.uniform(shape: state.h.shape, -1, 1, using: &rng)
        let rC = Tensor.uniform(shape: state.h.shape, -1, 1, using: &rng)
        var gradients = [Float](repeating: 0, count: parameters.count)
        let (dInput, dInitial) = try lstm.backward(
            parameters: parameters, gradients: &gradients, cache: forward.cache, outputGradient: rOut,
            finalStateGradient: LSTMState(h: rH, c: rC))

        // All differentiable values in one vector: parameters, input, h0, c0.
        let all = (parameters + input.storage + state.h.storage + state.c.storage).map(Double.init)
        let cuts = [parameters.count, parameters.count + input.count, parameters.count + input.count + state.h.count]
        func loss(_ v: [Double]) -> Double {
            let out = NaiveLSTM.forward(
                lstm, parameters: Array(v[0..<cuts[0]]), input: Array(v[cuts[0]..<cuts[1]]), lengths: lengths,
                initialH: Array(v[cuts[1]..<cuts[2]]), initialC: Array(v[cuts[2]...]))
            var sum = 0.0
            for i in out.output.indices { sum += out.output[i] * Double(rOut.storage[i]) }
            for i in out.h.indices { sum += out.h[i] * Double(rH.storage[i]) + out.c[i] * Double(rC.storage[i]) }
            return sum
        }
        let eps = 1e-6
        var numeric = [Float]()
        for i in all.indices {
            var plus = all
            var minus = all
            plus[i] += eps
            minus[i] -= eps
            numeric.append(Float((loss(plus) - loss(minus)) / (2 * eps)))
        }
        let dx = try #require(dInput)
        let analytic = gradients + dx.storage + dInitial.h.storage + dInitial.c.storage
        expectRelative(
            Tensor(shape: [analytic.count], storage: analytic), Tensor(shape: [numeric.count], storage: numeric), 1e-5,
            "finite differences L\(layers) bi \(bidirectional)")

        // With the zeros declared padding, their input gradient is 0 and every other value the same
        // (up to rounding: the GEMM is split differently).
        var skipped = [Float](repeating: 0, count: parameters.count)
        let (dPadded, _) = try lstm.backward(
            parameters: parameters, gradients: &skipped, cache: forward.cache, outputGradient: rOut,
            finalStateGradient: LSTMState(h: rH, c: rC), constantZeroInput: true)
        let padded = try #require(dPadded)
        #expect(skipped == gradients, "the parameter gradients do not depend on constantZeroInput")
        for i in 0..<input.count {
            let (row, column) = (i / 3, i % 3)
            let isZero = row >= found.rows || (row < found.leadingRows && column >= found.column)
            let expected = isZero ? 0 : dx.storage[i]
            #expect(
                abs(padded.storage[i] - expected) <= 1e-6 * max(1, abs(expected)),
                "input gradient \(i) with constant zeros: \(padded.storage[i]), expected \(expected)")
        }
    }

    /// The zero regions of `gradientsMatchFiniteDifferences`' input ([4, 3, 3]: 12 rows of 3).
    enum InputZeroCase: Sendable, CustomTestStringConvertible {
        case none, tail, block

        func applied(to input: Tensor) -> Tensor {
            Tensor(shape: input.shape) { i in
                let (row, column) = (i / 3, i % 3)
                switch self {
                case .none: return input.storage[i]
                case .tail: return row >= 6 ? 0 : input.storage[i]
                case .block: return row < 6 && column >= 1 ? 0 : input.storage[i]
                }
            }
        }

        var expected: InputZeros {
            switch self {
            case .none: return InputZeros(width: 3, rows: 12, leadingRows: 0, column: 3)
            case .tail: return InputZeros(width: 3, rows: 6, leadingRows: 0, column: 3)
            case .block: return InputZeros(width: 3, rows: 12, leadingRows: 6, column: 1)
            }
        }

        var testDescription: String { "\(self)" }
    }

    @Test func paddedStepsChangeNothing() throws {
        let config = LSTMConfiguration(inputSize: 4, hiddenSize: 3, layers: 2, bidirectional: true)
        let (lstm, parameters, input, _) = Self.randomSetup(config, steps: 6, lengths: [6, 3], seed: 21)
        // Sequence 1 alone, cut to its 3 valid steps, must give the values it has inside the padded batch.
        let alone = Tensor(shape: [3, 1, 4]) { i in input.storage[(i / 4) * 8 + 4 + i % 4] }
        let padded = try lstm.forward(parameters: parameters, input: input, lengths: [6, 3])
        let single = try lstm.forward(parameters: parameters, input: alone, lengths: [3])
        let fromBatch = Tensor(shape: [3, 1, 6]) { i in padded.output.storage[(i / 6) * 12 + 6 + i % 6] }
        expectRelative(fromBatch, single.output, 1e-6, "padded vs alone output")
        let paddedOutputs = (3..<6).flatMap { t in padded.output.storage[(t * 12 + 6)..<(t * 12 + 12)] }
        #expect(paddedOutputs.allSatisfy { $0 == 0 }, "outputs at padded steps must be 0")
        let hFromBatch = Tensor(shape: [4, 1, 3]) { i in padded.finalState.h.storage[(i / 3) * 6 + 3 + i % 3] }
        expectRelative(hFromBatch, single.finalState.h, 1e-6, "padded vs alone h_n")
        var gradients = [Float](repeating: 0, count: parameters.count)
        let (dInput, _) = try lstm.backward(
            parameters: parameters, gradients: &gradients, cache: padded.cache,
            outputGradient: Tensor(repeating: 1, shape: padded.output.shape))
        let dx = try #require(dInput)
        let paddedInputGradient = (3..<6).flatMap { t in dx.storage[(t * 8 + 4)..<(t * 8 + 8)] }
        #expect(paddedInputGradient.allSatisfy { $0 == 0 }, "padded input steps must get no gradient")
    }

    /// Without the input gradient the parameter and state gradients are the same, and a hidden
    /// size of several SIMD widths plus a tail matches the naive twin.
    @Test(arguments: [false, true])
    func backwardWithoutInputGradientGivesTheSameParameterGradients(bidirectional: Bool) throws {
        let config = LSTMConfiguration(inputSize: 7, hiddenSize: 21, layers: 2, bidirectional: bidirectional)
        let lengths = [5, 2, 5, 4]
        let (lstm, parameters, input, state) = Self.randomSetup(config, steps: 5, lengths: lengths, seed: 41)
        let forward = try lstm.forward(parameters: parameters, input: input, lengths: lengths, initialState: state)
        let naive = Self.naiveForward(lstm, parameters, input, lengths, state)
        expectRelative(
            forward.output, Tensor(shape: forward.output.shape, storage: naive.output.map(Float.init)), 1e-5,
            "H 21 output vs twin")
        var rng = SeededRNG(seed: 42)
        let rOut = Tensor.uniform(shape: forward.output.shape, -1, 1, using: &rng)
        var full = [Float](repeating: 0, count: parameters.count)
        var partial = full
        let (dInput, dFull) = try lstm.backward(
            parameters: parameters, gradients: &full, cache: forward.cache, outputGradient: rOut)
        let (none, dPartial) = try lstm.backward(
            parameters: parameters, gradients: &partial, cache: forward.cache, outputGradient: rOut,
            inputGradient: false)
        #expect(dInput != nil && none == nil)
        #expect(full == partial, "parameter gradients must not depend on inputGradient")
        #expect(dFull == dPartial, "initial state gradients must not depend on inputGradient")
    }

    @Test func dropoutBetweenLayersMatchesNaiveTwinWithTheSameMasks() throws {
        let config = LSTMConfiguration(inputSize: 5, hiddenSize: 4, layers: 3, bidirectional: true, dropout: 0.5)
        let lengths = [5, 3]
        let (lstm, parameters, input, _) = Self.randomSetup(config, steps: 5, lengths: lengths, seed: 31)
        var rng = SeededRNG(seed: 32)
        let fast = try lstm.forward(parameters: parameters, input: input, lengths: lengths, training: &rng)
        let masks = fast.cache.layers.map(\.dropoutMask)
        #expect(masks[0] == nil && masks[1] != nil && masks[2] != nil, "dropout only between layers")
        let dropped = masks[1]!.filter { $0 == 0 }.count
        #expect(dropped > 0 && dropped < masks[1]!.count, "some but not all values dropped: \(dropped)")
        let naive = NaiveLSTM.forward(
            lstm, parameters: parameters.map(Double.init), input: input.storage.map(Double.init), lengths: lengths,
            dropoutMasks: masks)
        expectRelative(
            fast.output, Tensor(shape: fast.output.shape, storage: naive.output.map(Float.init)), 1e-5,
            "dropout output vs twin")
        let inference = try lstm.forward(parameters: parameters, input: input, lengths: lengths)
        #expect(inference.output != fast.output, "inference must not drop")
    }
}
