// A fully connected layer with `torch.nn.Linear`'s names and layout, forward and backward side by
// side, on the model's flat parameter buffer: `<prefix>weight` `[O, I]`, `<prefix>bias` `[O]`,
//   y = x·Wᵀ + b    x `[M, I]`, y `[M, O]`   (M rows: batch or batch·time)
// Both passes are `dnnl_sgemm` calls; `Naive.matmul` is the twin the tests use.

import DNNL
import TensorCore

/// `torch.nn.Linear` on a flat parameter buffer.
public struct Linear: Sendable {
    public let inputSize: Int
    public let outputSize: Int
    let weight: Int
    let bias: Int

    /// Appends `<prefix>weight` and `<prefix>bias` to `layout`.
    public init(inputSize: Int, outputSize: Int, layout: inout ParameterLayout, prefix: String) {
        precondition(inputSize > 0 && outputSize > 0, "Linear: sizes \(inputSize) → \(outputSize)")
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = layout.append(prefix + "weight", shape: [outputSize, inputSize])
        bias = layout.append(prefix + "bias", shape: [outputSize])
    }

    /// y = x·Wᵀ + b for x `[M, I]`.
    public func forward(parameters: [Float], input: Tensor) throws -> Tensor {
        precondition(
            input.rank == 2 && input.shape[1] == inputSize,
            "Linear.forward: input \(input.shape), expected [M, \(inputSize)]")
        let rows = input.shape[0]
        guard rows > 0 else { return Tensor(shape: [0, outputSize], storage: []) }
        var output = [Float](repeating: 0, count: rows * outputSize)
        try parameters.withUnsafeBufferPointer { w in
            try input.withUnsafeBufferPointer { x in
                try output.withUnsafeMutableBufferPointer { y in
                    for row in 0..<rows { (y.start + row * outputSize).update(from: w.start + bias, count: outputSize) }
                    try GEMM.sgemm(
                        transposeA: false, transposeB: true, m: rows, n: outputSize, k: inputSize, alpha: 1,
                        a: x.start, lda: inputSize, b: w.start + weight, ldb: inputSize, beta: 1,
                        c: y.start, ldc: outputSize)
                }
            }
        }
        return Tensor(shape: [rows, outputSize], storage: output)
    }

    /// Accumulates dW += dyᵀ·x and db += Σ dy into `gradients`; returns dx = dy·W.
    public func backward(
        parameters: [Float], gradients: inout [Float], input: Tensor, outputGradient: Tensor
    ) throws -> Tensor {
        try accumulateParameterGradients(
            parameters: parameters, gradients: &gradients, input: input, outputGradient: outputGradient)
        return try inputGradient(parameters: parameters, outputGradient: outputGradient)
    }

    /// Accumulates dW and db as `backward` does, without dx: for a layer whose input is data (the
    /// features a projection reads), for which PyTorch computes no gradient either.
    public func accumulateParameterGradients(
        parameters: [Float], gradients: inout [Float], input: Tensor, outputGradient: Tensor
    ) throws {
        let rows = input.shape[0]
        precondition(
            outputGradient.shape == [rows, outputSize], "Linear.backward: output gradient \(outputGradient.shape)")
        guard rows > 0 else { return }
        try outputGradient.withUnsafeBufferPointer { dy in
            try gradients.withUnsafeMutableBufferPointer { grad in
                let grad = grad.start
                try input.withUnsafeBufferPointer { x in
                    try GEMM.sgemm(
                        transposeA: true, transposeB: false, m: outputSize, n: inputSize, k: rows, alpha: 1,
                        a: dy.start, lda: outputSize, b: x.start, ldb: inputSize, beta: 1, c: grad + weight,
                        ldc: inputSize)
                }
                RowMajor.addColumnSums(of: dy.start, rows: rows, columns: outputSize, to: grad + bias)
            }
        }
    }

    /// dx = dy·W for the output gradient `[M, O]`.
    func inputGradient(parameters: [Float], outputGradient: Tensor) throws -> Tensor {
        let rows = outputGradient.shape[0]
        guard rows > 0 else { return Tensor(shape: [0, inputSize], storage: []) }
        var inputGradient = [Float](repeating: 0, count: rows * inputSize)
        try outputGradient.withUnsafeBufferPointer { dy in
            try parameters.withUnsafeBufferPointer { w in
                try inputGradient.withUnsafeMutableBufferPointer { dx in
                    try GEMM.sgemm(
                        transposeA: false, transposeB: false, m: rows, n: inputSize, k: outputSize, alpha: 1,
                        a: dy.start, lda: outputSize, b: w.start + weight, ldb: inputSize, beta: 0, c: dx.start,
                        ldc: inputSize)
                }
            }
        }
        return Tensor(shape: [rows, inputSize], storage: inputGradient)
    }
}
