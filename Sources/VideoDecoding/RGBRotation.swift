// Rotation and centre crop of packed RGB24 pictures, applied after scaling.

/// Pixel moves on packed RGB24 buffers.
enum RGBRotation {
    /// Rotates a `width × height` picture clockwise by 90, 180 or 270 degrees.
    static func rotate(_ source: [UInt8], width: Int, height: Int, clockwise degrees: Int) -> [UInt8] {
        precondition(source.count == width * height * 3, "rotate: \(source.count) bytes for \(width)x\(height)")
        let outWidth = degrees == 180 ? width : height
        return [UInt8](unsafeUninitializedCapacity: source.count) { out, count in
            source.withUnsafeBufferPointer { src in
                for row in 0..<height {
                    for col in 0..<width {
                        // Where the source pixel (row, col) lands in the rotated picture.
                        let (r, c): (Int, Int)
                        switch degrees {
                        case 90: (r, c) = (col, height - 1 - row)
                        case 180: (r, c) = (height - 1 - row, width - 1 - col)
                        case 270: (r, c) = (width - 1 - col, row)
                        default: preconditionFailure("rotate: \(degrees) degrees")
                        }
                        let s = (row * width + col) * 3
                        let d = (r * outWidth + c) * 3
                        out[d] = src[s]
                        out[d + 1] = src[s + 1]
                        out[d + 2] = src[s + 2]
                    }
                }
            }
            count = source.count
        }
    }

    /// Cuts the centred `side × side` square. An odd margin puts the half pixel by round-half-to-even,
    /// as both ffmpeg's crop filter (lrint) and torchvision's CenterCrop (Python round) do.
    static func centreCrop(_ source: [UInt8], width: Int, height: Int, side: Int) -> [UInt8] {
        precondition(side <= width && side <= height, "centreCrop: \(side) from \(width)x\(height)")
        let x = Int((Double(width - side) / 2).rounded(.toNearestOrEven))
        let y = Int((Double(height - side) / 2).rounded(.toNearestOrEven))
        var out = [UInt8]()
        out.reserveCapacity(side * side * 3)
        for row in y..<(y + side) {
            let start = (row * width + x) * 3
            out.append(contentsOf: source[start..<(start + side * 3)])
        }
        return out
    }
}
