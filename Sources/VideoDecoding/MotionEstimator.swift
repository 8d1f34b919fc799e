// Block motion between two pictures by FFmpeg's own motion estimation: libavfilter's `mestimate`
// filter (EPZS search, `blockSize` × `blockSize` blocks, ±`searchRange` pixels), which exports
// one `AVMotionVector` per block as frame side data. `mestimate` emits a picture once it has seen
// the next one and searches each of its blocks in both neighbours: the previous picture
// (`source == -1`) and the next (`source == 1`). The pair goes in backwards, current then
// previous: the one picture out is `current`, whose blocks are searched in `previous` as its
// "next" picture (and in a copy of itself as its "previous", which costs little). That is one
// real search per pair; feeding previous, current, current took two (half of the extraction time
// that motion added). A fresh graph per pair keeps each pair's vectors independent of the pictures
// before it (EPZS otherwise seeds its search with the previous pair's vectors).
//
// Pictures are grey (`GreyPicture`, luma of the RGB frames the CNN sees, BT.601 weights) and small
// (224 × 224: 28 × 28 blocks of 8 pixels); vectors are whole pixels, as `mestimate` searches them.
// Convention: `dx`, `dy` are the displacement of the picture content from the previous picture
// to the current one, in pixels, +x right, +y down.
import CFFmpeg

/// An 8-bit grey picture, rows top to bottom.
public struct GreyPicture: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height, "GreyPicture: \(pixels.count) bytes for \(width)x\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The luma of an RGB frame: (77 R + 150 G + 29 B + 128) >> 8 (BT.601 weights in 8-bit).
    public init(_ frame: RGBFrame) {
        var grey = [UInt8](repeating: 0, count: frame.width * frame.height)
        frame.pixels.withUnsafeBufferPointer { rgb in
            for i in 0..<grey.count {
                let (r, g, b) = (Int(rgb[3 * i]), Int(rgb[3 * i + 1]), Int(rgb[3 * i + 2]))
                grey[i] = UInt8((77 * r + 150 * g + 29 * b + 128) >> 8)
            }
        }
        self.init(width: frame.width, height: frame.height, pixels: grey)
    }
}

/// The motion of one block.
public struct BlockMotion: Sendable, Equatable {
    /// The block's centre in the current picture, pixels.
    public var x: Int
    public var y: Int
    /// Displacement of the content from the previous picture to this block, pixels.
    public var dx: Int
    public var dy: Int

    public init(x: Int, y: Int, dx: Int, dy: Int) {
        self.x = x
        self.y = y
        self.dx = dx
        self.dy = dy
    }
}

/// Block motion vectors of picture pairs through libavfilter's `mestimate`.
public struct MotionEstimator: Sendable {
    public let blockSize: Int
    public let searchRange: Int

    /// `blockSize` a power of two ≥ 8 (mestimate rounds up otherwise); `searchRange` ≥ 4.
    public init(blockSize: Int = 8, searchRange: Int = 16) {
        precondition(blockSize >= 8 && blockSize & (blockSize - 1) == 0, "MotionEstimator: block size \(blockSize)")
        precondition(searchRange >= 4, "MotionEstimator: search range \(searchRange)")
        self.blockSize = blockSize
        self.searchRange = searchRange
    }

    /// The vectors of `current`'s blocks against `previous` (same size, at least one block), in
    /// row-major block order.
    public func vectors(from previous: GreyPicture, to current: GreyPicture) throws -> [BlockMotion] {
        precondition(
            previous.width == current.width && previous.height == current.height,
            "MotionEstimator: \(previous.width)x\(previous.height) vs \(current.width)x\(current.height)")
        let (width, height) = (current.width, current.height)
        guard width >= blockSize && height >= blockSize else { return [] }
        let graph = try FilterGraph(
            filter: "mestimate", arguments: "method=epzs:mb_size=\(blockSize):search_param=\(searchRange)",
            width: width, height: height, subject: "motion estimation")
        var outputs: [Frame] = []
        for (pts, picture) in [current, previous].enumerated() {
            try graph.push(picture.pixels, width: width, height: height, pts: Int64(pts))
            while let frame = try graph.pull() { outputs.append(frame) }
        }
        guard outputs.count == 1 else {
            throw DecodeError(.ioError, path: "motion estimation", "mestimate gave \(outputs.count) pictures for 2")
        }
        return Self.vectors(of: outputs[0], against: 1)
    }

    /// The side data's vectors of the picture's blocks against its neighbour `source` (−1 the
    /// previous picture fed, 1 the next), as displacements from that neighbour to the picture.
    static func vectors(of frame: Frame, against source: Int32) -> [BlockMotion] {
        guard let side = av_frame_get_side_data(frame.pointer, AV_FRAME_DATA_MOTION_VECTORS) else { return [] }
        let count = Int(side.pointee.size) / MemoryLayout<AVMotionVector>.stride
        guard count > 0, let data = side.pointee.data else { return [] }
        return data.withMemoryRebound(to: AVMotionVector.self, capacity: count) { vectors in
            (0..<count).compactMap { i in
                let v = vectors[i]
                guard v.source == source else { return nil }
                return BlockMotion(
                    x: Int(v.dst_x), y: Int(v.dst_y), dx: Int(v.dst_x) - Int(v.src_x), dy: Int(v.dst_y) - Int(v.src_y))
            }
        }
    }
}
