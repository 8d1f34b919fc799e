// Hyperparameters of a stacked, optionally bidirectional LSTM, and where each layer's weights sit in
// the flat parameter buffer under PyTorch's `torch.nn.LSTM` names:
//
//   weight_ih_l{k}[_reverse]  [4H, I_k]   I_0 = input size, I_k = D·H for k > 0
//   weight_hh_l{k}[_reverse]  [4H, H]
//   bias_ih_l{k}[_reverse]    [4H]
//   bias_hh_l{k}[_reverse]    [4H]
//
// (H hidden size, D = 2 when bidirectional else 1), rows in gate order i, f, g, o. Layers are
// listed layer by layer, forward direction before `_reverse`, as `torch.nn.LSTM.state_dict()` does.

/// Shape of an LSTM: sizes, depth, directions and dropout between layers.
public struct LSTMConfiguration: Codable, Equatable, Sendable {
    public var inputSize: Int
    public var hiddenSize: Int
    public var layers: Int
    public var bidirectional: Bool
    /// Dropout probability on the outputs of every layer but the last (training only), as
    /// `torch.nn.LSTM(dropout:)`.
    public var dropout: Float

    public init(inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false, dropout: Float = 0) {
        precondition(
            inputSize > 0 && hiddenSize > 0 && layers > 0 && dropout >= 0 && dropout < 1,
            "LSTMConfiguration: input \(inputSize), hidden \(hiddenSize), layers \(layers), dropout \(dropout)")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.dropout = dropout
    }

    /// 2 when bidirectional, else 1.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// Width of each step's output: directions·H.
    public var outputSize: Int { directions * hiddenSize }

    /// Width of layer `layer`'s input.
    public func layerInputSize(_ layer: Int) -> Int {
        layer == 0 ? inputSize : outputSize
    }

    /// The `state_dict` suffix of one layer and direction: `l0`, `l1_reverse`, ….
    public static func suffix(layer: Int, direction: Int) -> String {
        "l\(layer)" + (direction == 1 ? "_reverse" : "")
    }
}

/// Offsets of one layer-direction's four tensors in the flat parameter buffer.
struct LSTMSlot: Sendable, Equatable {
    let weightIH: Int
    let weightHH: Int
    let biasIH: Int
    let biasHH: Int
    /// Width of the layer input.
    let inputSize: Int
}

extension LSTMConfiguration {
    /// Appends the LSTM's tensors to `layout` under `prefix` (e.g. "lstm.") and returns the slots,
    /// indexed `[layer][direction]`.
    func appendParameters(to layout: inout ParameterLayout, prefix: String) -> [[LSTMSlot]] {
        let gates = 4 * hiddenSize
        return (0..<layers).map { layer in
            (0..<directions).map { direction in
                let suffix = Self.suffix(layer: layer, direction: direction)
                let input = layerInputSize(layer)
                return LSTMSlot(
                    weightIH: layout.append("\(prefix)weight_ih_\(suffix)", shape: [gates, input]),
                    weightHH: layout.append("\(prefix)weight_hh_\(suffix)", shape: [gates, hiddenSize]),
                    biasIH: layout.append("\(prefix)bias_ih_\(suffix)", shape: [gates]),
                    biasHH: layout.append("\(prefix)bias_hh_\(suffix)", shape: [gates]),
                    inputSize: input)
            }
        }
    }
}
