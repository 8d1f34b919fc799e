// Memory objects and reorders: plain copies in and out of `Tensor`, exact round trips through
// channels-last and oneDNN's blocked layouts (values only move), the channels-last bytes against a
// hand-written NHWC permutation (also as `channelsLastTensor` reads it from plain, NHWC and blocked
// memory), a memory over a caller's buffer or a tensor's storage, and a oneDNN error surfacing as a
// `DNNLError` that names the call and oneDNN's status.
//
// Shapes: `[N, C, H, W]` activations.
import DNNL
import TensorCore
import Testing

struct MemoryTests {
    let x: Tensor = {
        var rng = SeededRNG(seed: 61)
        return Tensor.uniform(shape: [2, 5, 3, 4], -1, 1, using: &rng)
    }()

    @Test func plainMemoryCopiesInAndOut() throws {
        let device = try Device()
        let memory = try Memory(descriptor: MemoryDescriptor(shape: x.shape), engine: device.engine)
        #expect(memory.descriptor.isPlain && memory.descriptor.byteCount == x.count * 4)
        memory.write(x)
        expectEqual(memory.read(), x, "plain round trip")
    }

    @Test func channelsLastHoldsTheNHWCPermutation() throws {
        let device = try Device()
        let nhwc = MemoryDescriptor(shape: x.shape, format: .channelsLast)
        #expect(!nhwc.isPlain && nhwc.layoutName == "acdb")
        let memory = try Memory(x, descriptor: nhwc, stream: device.stream)
        let bytes = memory.withUnsafeMutableBytes { Array($0.bindMemory(to: Float.self)) }
        let permuted = Tensor(shape: [2, 3, 4, 5]) { flat in
            let (n, h, w, c) = (flat / 60, flat / 20 % 3, flat / 5 % 4, flat % 5)
            return x[n, c, h, w]
        }
        expectEqual(Tensor(shape: [2, 3, 4, 5], storage: bytes), permuted, "NHWC bytes")
        expectEqual(try memory.tensor(stream: device.stream), x, "NHWC round trip")
    }

    @Test func blockedLayoutRoundTripIsExact() throws {
        let device = try Device()
        let convolution = try Convolution(
            source: MemoryDescriptor(shape: x.shape, format: .any), weight: Tensor(zeros: [5, 5, 1, 1]),
            stream: device.stream)
        let layout = convolution.sourceDescriptor
        let memory = try Memory(x, descriptor: layout, stream: device.stream)
        #expect(memory.descriptor.byteCount >= x.count * 4)
        expectEqual(try memory.tensor(stream: device.stream), x, "round trip through \(layout.layoutName)")
    }

    @Test func channelsLastTensorFromEveryLayout() throws {
        let device = try Device()
        let permuted = Tensor(shape: [2, 3, 4, 5]) { flat in
            let (n, h, w, c) = (flat / 60, flat / 20 % 3, flat / 5 % 4, flat % 5)
            return x[n, c, h, w]
        }
        let convolution = try Convolution(
            source: MemoryDescriptor(shape: x.shape, format: .any), weight: Tensor(zeros: [5, 5, 1, 1]),
            stream: device.stream)
        let layouts = [
            MemoryDescriptor(shape: x.shape), MemoryDescriptor(shape: x.shape, format: .channelsLast),
            convolution.sourceDescriptor,
        ]
        for layout in layouts {
            let memory = try Memory(x, descriptor: layout, stream: device.stream)
            expectEqual(try memory.channelsLastTensor(stream: device.stream), permuted, "from \(layout.layoutName)")
        }
    }

    @Test func readingWrapsATensorsStorage() throws {
        let device = try Device()
        let nhwc = try Memory(
            descriptor: MemoryDescriptor(shape: x.shape, format: .channelsLast), engine: device.engine)
        let plain = MemoryDescriptor(shape: x.shape)
        try Memory.reading(x, engine: device.engine) { source in
            #expect(source.descriptor == plain)
            try Reorder(from: plain, to: nhwc.descriptor, engine: device.engine).execute(
                from: source, to: nhwc, stream: device.stream)
            try device.stream.wait()
        }
        expectEqual(try nhwc.tensor(stream: device.stream), x, "reordered out of the tensor's own storage")
    }

    @Test func memoryOverACallersBuffer() throws {
        let device = try Device()
        let descriptor = MemoryDescriptor(shape: [3, 4])
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: descriptor.byteCount, alignment: 64)
        defer { buffer.deallocate() }
        let values = buffer.bindMemory(to: Float.self)
        for i in values.indices { values[i] = Float(i) }
        let memory = try Memory(descriptor: descriptor, engine: device.engine, wrapping: buffer)
        expectEqual(memory.read(), Tensor(shape: [3, 4]) { Float($0) }, "read through the caller's buffer")
        memory.write(Tensor(repeating: 7, shape: [3, 4]))
        #expect(values.allSatisfy { $0 == 7 })
    }

    @Test func oneDNNErrorsNameTheCallAndStatus() throws {
        let device = try Device()
        #expect {
            _ = try Reorder(
                from: MemoryDescriptor(shape: [2, 3]), to: MemoryDescriptor(shape: [3, 2]), engine: device.engine)
        } throws: { error in
            guard let error = error as? DNNLError else { return false }
            return error.status == .invalidArguments && error.statusName == "invalid_arguments"
                && error.call == "dnnl_reorder_primitive_desc_create" && error.description.contains("reorder")
        }
    }
}
