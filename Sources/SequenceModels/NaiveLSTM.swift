// The naive twin of `LSTM`: the same network written for obviousness — Double arithmetic, one
// sequence at a time, only its valid steps (the reverse direction walks t = len-1 … 0), plain
// loops for every product. Tests compare the GEMM-based `LSTM` to it on seeded input and use it
// for finite-difference gradients. Shapes as in `LSTM.swift` (T, N, I, H, D; gate order i, f, g, o);
// flat arrays are row-major, parameters in the layout of the `LSTM` they are given with.

import Foundation

/// Reference forward pass of an `LSTM` in Double.
public enum NaiveLSTM {
    /// Outputs `[T, N, D·H]` (0 at padded steps) and final `h`, `c` `[L·D, N, H]`. `dropoutMasks[k]`
    /// multiplies layer k's input (`[T, N, I_k]`), as `LSTMCache` records them.
    public static func forward(
        _ lstm: LSTM, parameters: [Double], input: [Double], lengths: [Int], initialH: [Double]? = nil,
        initialC: [Double]? = nil, dropoutMasks: [[Float]?]? = nil
    ) -> (output: [Double], h: [Double], c: [Double]) {
        let config = lstm.configuration
        let (batch, hidden, d) = (lengths.count, config.hiddenSize, config.directions)
        let steps = batch == 0 ? 0 : input.count / (batch * config.inputSize)
        let stateCount = config.layers * d * batch * hidden
        var finalH = [Double](repeating: 0, count: stateCount)
        var finalC = [Double](repeating: 0, count: stateCount)
        var layerInput = input
        for layer in 0..<config.layers {
            let width = config.layerInputSize(layer)
            if let mask = dropoutMasks?[layer] {
                for i in layerInput.indices { layerInput[i] *= Double(mask[i]) }
            }
            var output = [Double](repeating: 0, count: steps * batch * d * hidden)
            for direction in 0..<d {
                let slot = lstm.slots[layer][direction]
                for n in 0..<batch {
                    let stateBase = ((layer * d + direction) * batch + n) * hidden
                    var h =
                        initialH.map { Array($0[stateBase..<(stateBase + hidden)]) }
                        ?? Array(repeating: 0, count: hidden)
                    var c =
                        initialC.map { Array($0[stateBase..<(stateBase + hidden)]) }
                        ?? Array(repeating: 0, count: hidden)
                    let order = direction == 0 ? Array(0..<lengths[n]) : Array((0..<lengths[n]).reversed())
                    for t in order {
                        let x = Array(layerInput[((t * batch + n) * width)..<((t * batch + n + 1) * width)])
                        (h, c) = cell(parameters, slot: slot, hidden: hidden, x: x, h: h, c: c)
                        for j in 0..<hidden { output[(t * batch + n) * d * hidden + direction * hidden + j] = h[j] }
                    }
                    for j in 0..<hidden {
                        finalH[stateBase + j] = h[j]
                        finalC[stateBase + j] = c[j]
                    }
                }
            }
            layerInput = output
        }
        return (layerInput, finalH, finalC)
    }

    /// One step of one sequence.
    static func cell(
        _ p: [Double], slot: LSTMSlot, hidden: Int, x: [Double], h: [Double], c: [Double]
    ) -> (h: [Double], c: [Double]) {
        var pre = [Double](repeating: 0, count: 4 * hidden)
        for r in 0..<(4 * hidden) {
            var sum = p[slot.biasIH + r] + p[slot.biasHH + r]
            for k in 0..<x.count { sum += p[slot.weightIH + r * x.count + k] * x[k] }
            for k in 0..<hidden { sum += p[slot.weightHH + r * hidden + k] * h[k] }
            pre[r] = sum
        }
        var newH = [Double](repeating: 0, count: hidden)
        var newC = [Double](repeating: 0, count: hidden)
        for j in 0..<hidden {
            let i = 1 / (1 + exp(-pre[j]))
            let f = 1 / (1 + exp(-pre[hidden + j]))
            let g = tanh(pre[2 * hidden + j])
            let o = 1 / (1 + exp(-pre[3 * hidden + j]))
            newC[j] = f * c[j] + i * g
            newH[j] = o * tanh(newC[j])
        }
        return (newH, newC)
    }
}
