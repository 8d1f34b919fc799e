// Turns decoded pictures into RGB24 at the requested geometry: picks the output size from the
// displayed size, scales with a cached `Scaler` (rebuilt when the stream changes size or pixel
// format mid-way), applies rotation metadata, then centre-crops.
import CFFmpeg

final class RGBConverter {
    let request: FrameRequest
    let rotation: Int
    let path: String
    private var scaler: Scaler?
    private let rotated = Frame()

    init(request: FrameRequest, rotation: Int, path: String) {
        self.request = request
        self.rotation = request.applyRotation ? rotation : 0
        self.path = path
    }

    /// The output size for a picture displayed at `width × height`, before any crop, and the crop.
    static func outputSize(
        displayWidth width: Int, displayHeight height: Int, geometry: Geometry
    ) -> (
        width: Int, height: Int, crop: Int?
    ) {
        switch geometry {
        case .native:
            return (width, height, nil)
        case .size(let w, let h):
            return (w, h, nil)
        case .shortSide(let side, let crop):
            if width <= height {
                return (side, max(1, Int((Double(height) * Double(side) / Double(width)).rounded())), crop)
            }
            return (max(1, Int((Double(width) * Double(side) / Double(height)).rounded())), side, crop)
        }
    }

    /// `frame` as the RGB frame of timeline index `index`, shown at `timestamp` seconds, `time`
    /// seconds after the stream's first frame.
    func convert(
        _ frame: UnsafeMutablePointer<AVFrame>, index: Int, timestamp: Double, time: Double
    ) throws -> RGBFrame {
        let converted = try convert(frame)
        return RGBFrame(
            width: converted.width, height: converted.height, pixels: converted.pixels, frameIndex: index,
            timestamp: timestamp, time: time)
    }

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let codedWidth = Int(frame.pointee.width)
        let codedHeight = Int(frame.pointee.height)
        let quarterTurn = rotation == 90 || rotation == 270
        let displayWidth = quarterTurn ? codedHeight : codedWidth
        let displayHeight = quarterTurn ? codedWidth : codedHeight
        let size = Self.outputSize(displayWidth: displayWidth, displayHeight: displayHeight, geometry: request.geometry)
        if let crop = size.crop, crop > size.width || crop > size.height {
            throw DecodeError(
                .invalidRequest, path: path,
                "crop \(crop) is larger than the resized picture \(size.width)x\(size.height)")
        }
        // Rotate in the decoder's pixel format first, as the ffmpeg CLI does; only formats that have
        // no rotated twin are scaled first and rotated as RGB.
        var picture = frame
        var rgbRotation = 0
        if rotation != 0 {
            if PictureRotation.canRotate(format: frame.pointee.format) {
                try PictureRotation.rotate(frame, degrees: rotation, into: rotated, path: path)
                picture = rotated.pointer
            } else {
                rgbRotation = rotation
            }
        }
        let turnRGB = rgbRotation == 90 || rgbRotation == 270
        let scaledWidth = turnRGB ? size.height : size.width
        let scaledHeight = turnRGB ? size.width : size.height
        let key = Scaler.Key(
            sourceWidth: picture.pointee.width, sourceHeight: picture.pointee.height,
            sourceFormat: picture.pointee.format, width: scaledWidth, height: scaledHeight,
            interpolation: request.interpolation)
        if scaler?.key != key { scaler = try Scaler(key, path: path) }
        guard let scaler else { preconditionFailure("RGBConverter: no scaler") }
        var pixels = [UInt8](unsafeUninitializedCapacity: scaledWidth * scaledHeight * 3) { buffer, count in
            guard let base = buffer.baseAddress else { preconditionFailure("RGBConverter: empty buffer") }
            scaler.scale(picture, into: base)
            count = buffer.count
        }
        if rgbRotation != 0 {
            pixels = RGBRotation.rotate(pixels, width: scaledWidth, height: scaledHeight, clockwise: rgbRotation)
        }
        if let crop = size.crop, crop != size.width || crop != size.height {
            pixels = RGBRotation.centreCrop(pixels, width: size.width, height: size.height, side: crop)
            return (crop, crop, pixels)
        }
        return (size.width, size.height, pixels)
    }
}
