// The values an LSTM run hands back besides its outputs: the state `(h, c)` of every layer and
// direction, and the cache its backward pass reads. Shapes: L layers, D directions, N batch,
// T time steps, H hidden, I_k the width of layer k's input; index `k·D + d` of a state is layer k,
// direction d (0 forward, 1 reverse), as `torch.nn.LSTM`'s `(h_n, c_n)`.

import TensorCore

/// Hidden and cell state of every layer and direction: `h`, `c` `[L·D, N, H]`.
public struct LSTMState: Sendable, Equatable {
    public var h: Tensor
    public var c: Tensor

    public init(h: Tensor, c: Tensor) {
        precondition(
            h.shape == c.shape && h.rank == 3, "LSTMState: h \(h.shape) and c \(c.shape) must be equal [L·D, N, H]")
        self.h = h
        self.c = c
    }

    /// Zero state for `configuration` and batch size `batch`.
    public init(zerosFor configuration: LSTMConfiguration, batch: Int) {
        let shape = [configuration.layers * configuration.directions, batch, configuration.hiddenSize]
        self.init(h: Tensor(zeros: shape), c: Tensor(zeros: shape))
    }
}

/// What `LSTM.forward` returns: outputs, final state and the cache for `LSTM.backward`.
public struct LSTMOutput: Sendable {
    /// `[T, N, D·H]`, forward direction in the first H columns; 0 at padded steps.
    public var output: Tensor
    /// State after each sequence's last valid step (forward) or after step 0 (reverse).
    public var finalState: LSTMState
    /// Activations kept for the backward pass.
    public var cache: LSTMCache
}

/// Activations of one forward pass that its backward pass needs (llm.c's `ActivationTensors`).
public struct LSTMCache: Sendable {
    struct Direction: Sendable {
        /// Gate activations i, f, g, o after the nonlinearity, `[T, N, 4H]`; 0 at padded steps.
        var gates: [Float]
        /// State before each step, `[T, N, H]`.
        var hPrev: [Float]
        var cPrev: [Float]
        /// tanh of the cell state after each step, `[T, N, H]`.
        var tanhC: [Float]
    }

    struct Layer: Sendable {
        /// The layer's input after dropout, `[T, N, I_k]`.
        var input: [Float]
        /// Where that input is zero (the GEMMs skip it).
        let zeros: InputZeros
        /// Dropout multipliers (0 or 1/(1-p)) applied to the input, for layers above the first.
        var dropoutMask: [Float]?
        var directions: [Direction]
    }

    var layers: [Layer]
    let steps: Int
    let batch: Int
    let lengths: [Int]
}
