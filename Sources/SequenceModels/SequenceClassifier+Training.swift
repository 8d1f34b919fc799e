// The training pass of `SequenceClassifier`: forward with dropout, softmax cross-entropy, and
// backward through head, pooling, LSTM and projection into the gradient buffer (same layout as
// the parameters). Shapes: T steps (T_max of the batch), N batch, D input, W = D_lstm output width,
// H hidden, C classes; rows of per-frame tensors are t·N + n.

import TensorCore

/// What a forward pass keeps for its backward pass.
struct ClassifierForward {
    var logits: Tensor
    /// Step inputs after dropout, `[T·N, D']` (D' = D, or 2·D for `.both`).
    var input: Tensor
    var lstm: LSTMOutput
    /// The head's input: pooled `[N, W]` (clip) or `[T·N, W]` (frames).
    var headInput: Tensor
    /// Max pooling: the step of each (n, j) maximum.
    var argmax: [Int]?
}

extension SequenceClassifier {
    /// Forward pass; dropout is drawn from `rng` when it is not nil (training).
    func forward(_ batch: SequenceBatch, rng: inout SeededRNG?) throws -> ClassifierForward {
        var encoded = configuration.inputs.encode(
            batch.input, lengths: batch.lengths, motionWidth: configuration.motionWidth ?? 0)
        let (steps, size, width) = (encoded.shape[0], encoded.shape[1], encoded.shape[2])
        if let mean = configuration.inputMean, let scale = configuration.inputScale {
            // Valid steps only: padded steps stay zero, as the LSTM's masking expects.
            var values = encoded.storage
            for n in 0..<size {
                for t in 0..<min(batch.lengths[n], steps) {
                    let row = (t * size + n) * width
                    for j in 0..<width { values[row + j] = (values[row + j] - mean[j]) * scale[j] }
                }
            }
            encoded = Tensor(shape: encoded.shape, storage: values)
        }
        var input = encoded.reshaped([steps * size, width])
        if var generator = rng, configuration.inputDropout > 0 {
            // A local generator and a plain loop: drawing through `rng!` inside a closure made
            // this the slowest part of an epoch (about 12x the whole step without dropout).
            let p = configuration.inputDropout
            let scale = 1 / (1 - p)
            var values = input.storage
            for i in values.indices { values[i] = generator.uniformFloat() < p ? 0 : values[i] * scale }
            rng = generator
            input = Tensor(shape: input.shape, storage: values)
        }
        var lstmInput = input
        if let projection {
            lstmInput = try projection.forward(parameters: parameters, input: input)
        }
        lstmInput = lstmInput.reshaped([steps, size, -1])
        let lstmOut: LSTMOutput
        if var training = rng {
            lstmOut = try lstm.forward(
                parameters: parameters, input: lstmInput, lengths: batch.lengths, training: &training)
            rng = training
        } else {
            lstmOut = try lstm.forward(parameters: parameters, input: lstmInput, lengths: batch.lengths)
        }
        var headInput: Tensor
        var argmax: [Int]? = nil
        switch configuration.task {
        case .clip(let pooling):
            (headInput, argmax) = pool(lstmOut.output, lengths: batch.lengths, pooling: pooling)
        case .frames:
            headInput = lstmOut.output.reshaped([steps * size, -1])
        }
        let logits = try head.forward(parameters: parameters, input: headInput)
        return ClassifierForward(logits: logits, input: input, lstm: lstmOut, headInput: headInput, argmax: argmax)
    }

    /// Loss of one batch and its gradients, accumulated into `gradients`; returns the loss, the
    /// total weight of the counted rows and the logits.
    func lossAndGradients(
        _ batch: SequenceBatch, rng: inout SeededRNG?, classWeights: [Float]?, gradients: inout [Float]
    ) throws -> (loss: Float, weight: Float, logits: Tensor) {
        let pass = try forward(batch, rng: &rng)
        let labels = configuration.task == .frames ? batch.frameLabels : batch.clipLabels
        let (loss, dLogits, weight) = SoftmaxCrossEntropy.lossAndGradient(
            logits: pass.logits, labels: labels, classWeights: classWeights)
        let dHead = try head.backward(
            parameters: parameters, gradients: &gradients, input: pass.headInput, outputGradient: dLogits)
        let outputShape = pass.lstm.output.shape
        let dOutput: Tensor
        switch configuration.task {
        case .clip(let pooling):
            dOutput = unpool(dHead, shape: outputShape, lengths: batch.lengths, pooling: pooling, argmax: pass.argmax)
        case .frames:
            dOutput = dHead.reshaped(outputShape)
        }
        // Without a projection the LSTM's input is the features: their gradient is not needed.
        let (dLSTMInput, _) = try lstm.backward(
            parameters: parameters, gradients: &gradients, cache: pass.lstm.cache, outputGradient: dOutput,
            inputGradient: projection != nil)
        if let projection, let dLSTMInput {
            try projection.accumulateParameterGradients(
                parameters: parameters, gradients: &gradients, input: pass.input,
                outputGradient: dLSTMInput.reshaped([pass.input.shape[0], -1]))
        }
        return (loss, weight, pass.logits)
    }

    /// Pools `[T, N, W]` over each sequence's valid steps into `[N, W]`.
    func pool(_ output: Tensor, lengths: [Int], pooling: ClipPooling) -> (Tensor, [Int]?) {
        let (size, width, hidden) = (output.shape[1], output.shape[2], configuration.hiddenSize)
        var pooled = [Float](repeating: 0, count: size * width)
        var argmax = [Int](repeating: 0, count: size * width)
        for n in 0..<size {
            let length = lengths[n]
            precondition(length > 0, "SequenceClassifier: an example has no frames")
            for j in 0..<width {
                let at = { (t: Int) in output.storage[(t * size + n) * width + j] }
                switch pooling {
                case .last:
                    // Forward columns at the last valid step; reverse columns at step 0.
                    pooled[n * width + j] = j < hidden ? at(length - 1) : at(0)
                case .mean:
                    var sum: Float = 0
                    for t in 0..<length { sum += at(t) }
                    pooled[n * width + j] = sum / Float(length)
                case .max:
                    var best = 0
                    for t in 1..<max(length, 1) where at(t) > at(best) { best = t }
                    pooled[n * width + j] = at(best)
                    argmax[n * width + j] = best
                }
            }
        }
        return (Tensor(shape: [size, width], storage: pooled), pooling == .max ? argmax : nil)
    }

    /// The backward of `pool`: spreads `[N, W]` gradients over `[T, N, W]`.
    func unpool(_ gradient: Tensor, shape: [Int], lengths: [Int], pooling: ClipPooling, argmax: [Int]?) -> Tensor {
        let (size, width, hidden) = (shape[1], shape[2], configuration.hiddenSize)
        var out = [Float](repeating: 0, count: shape.reduce(1, *))
        precondition(pooling != .max || argmax != nil, "unpool: max pooling without its argmax")
        let argmax = argmax ?? []
        for n in 0..<size {
            let length = lengths[n]
            for j in 0..<width {
                let g = gradient.storage[n * width + j]
                let index = { (t: Int) in (t * size + n) * width + j }
                switch pooling {
                case .last: out[index(j < hidden ? length - 1 : 0)] += g
                case .mean: for t in 0..<length { out[index(t)] += g / Float(length) }
                case .max: out[index(argmax[n * width + j])] += g
                }
            }
        }
        return Tensor(shape: shape, storage: out)
    }
}

extension SequenceClassifier {
    /// One optimizer step on `examples`: forward with dropout drawn from `rng`, loss, backward,
    /// optional global-norm clipping and an Adam/AdamW update. Returns the batch loss. For callers
    /// that drive training themselves (benchmarks); `Trainer` does the same per batch.
    public mutating func trainStep(
        _ examples: [SequenceExample], optimizer: inout AdamOptimizer, learningRate: Float, clipNorm: Float? = nil,
        classWeights: [Float]? = nil, rng: inout SeededRNG
    ) throws -> Float {
        var gradients = [Float](repeating: 0, count: parameters.count)
        var stepRNG: SeededRNG? = rng
        let (loss, _, _) = try lossAndGradients(
            SequenceBatch(examples), rng: &stepRNG, classWeights: classWeights, gradients: &gradients)
        // lossAndGradients advances a given generator and never clears it.
        rng = stepRNG ?? rng
        if let clipNorm { GradientClipping.clipGlobalNorm(&gradients, maxNorm: clipNorm) }
        optimizer.update(parameters: &parameters, gradients: gradients, learningRate: learningRate)
        return loss
    }

    /// Class probabilities of several videos in one batched pass (no dropout): `[C]` or `[T_n, C]`
    /// per example, as `predict(features:)` gives them one by one.
    public func predict(batch examples: [SequenceExample]) throws -> [Tensor] {
        guard !examples.isEmpty else { return [] }
        let batch = SequenceBatch(examples)
        let probabilities = SoftmaxCrossEntropy.softmax(try logits(batch))
        let classes = configuration.classCount
        let size = examples.count
        return examples.enumerated().map { n, example in
            if case .clip = configuration.task {
                return Tensor(
                    shape: [classes], storage: Array(probabilities.storage[(n * classes)..<((n + 1) * classes)]))
            }
            return Tensor(shape: [example.length, classes]) { i in
                probabilities.storage[((i / classes) * size + n) * classes + i % classes]
            }
        }
    }
}
