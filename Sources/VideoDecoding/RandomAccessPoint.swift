// Whether a keyframe packet starts a picture sequence that decodes on its own, so that a fresh
// decoder started there produces exactly what a decoder running from the start of the file does.
// Containers flag keyframes loosely (an H.264 "sync sample" may be a non-IDR I picture whose
// successors still reference older pictures), so the flag alone is trusted only for codecs whose
// keyframes reset every reference by definition; H.264 and HEVC packets are parsed for their NAL
// unit types. Codecs not listed are never split (`GOPPlan` then decodes the file in one piece).
import CFFmpeg

enum RandomAccessPoint {
    /// NAL framing of H.264/HEVC packets: length-prefixed (MP4/MKV `avcC`/`hvcC`) or Annex B start codes.
    enum Framing: Equatable {
        case lengthPrefixed(bytes: Int)
        case annexB
    }

    /// How keyframes of a codec are checked; nil when its keyframes are not trusted at all.
    enum Rule: Equatable {
        /// Every keyframe resets all references (VP8, VP9).
        case keyFlag
        /// An H.264 packet holding an IDR slice (NAL type 5).
        case h264IDR(Framing)
        /// An HEVC packet holding an IRAP picture (NAL types 16–23: BLA, IDR, CRA). Pictures that
        /// follow an IRAP in decoding and output order never reference pictures before it; the
        /// leading pictures that may are excluded by `GOPPlan`'s timestamp check.
        case hevcIRAP(Framing)
    }

    static func rule(for parameters: UnsafeMutablePointer<AVCodecParameters>) -> Rule? {
        let extradata = UnsafeBufferPointer(
            start: parameters.pointee.extradata, count: max(0, Int(parameters.pointee.extradata_size)))
        switch parameters.pointee.codec_id {
        case AV_CODEC_ID_VP8, AV_CODEC_ID_VP9:
            return .keyFlag
        case AV_CODEC_ID_H264:
            // avcC: configurationVersion 1; lengthSizeMinusOne in the low bits of byte 4.
            if extradata.count >= 7 && extradata[0] == 1 {
                return .h264IDR(.lengthPrefixed(bytes: Int(extradata[4] & 3) + 1))
            }
            return .h264IDR(.annexB)
        case AV_CODEC_ID_HEVC:
            // hvcC as FFmpeg's hevc decoder tells it from Annex B; lengthSizeMinusOne in byte 21.
            if extradata.count >= 23 && (extradata[0] != 0 || extradata[1] != 0 || extradata[2] > 1) {
                return .hevcIRAP(.lengthPrefixed(bytes: Int(extradata[21] & 3) + 1))
            }
            return .hevcIRAP(.annexB)
        default:
            return nil
        }
    }

    /// Whether a packet flagged as a keyframe is a clean random access point under `rule`.
    static func isClean(_ data: UnsafeBufferPointer<UInt8>, rule: Rule) -> Bool {
        switch rule {
        case .keyFlag:
            return true
        case .h264IDR(let framing):
            return nalHeaders(data, framing: framing).contains { $0 & 0x1f == 5 }
        case .hevcIRAP(let framing):
            return nalHeaders(data, framing: framing).contains { (16...23).contains(($0 >> 1) & 0x3f) }
        }
    }

    /// The first byte of each NAL unit in the packet; malformed framing ends the list early.
    static func nalHeaders(_ data: UnsafeBufferPointer<UInt8>, framing: Framing) -> [UInt8] {
        var headers: [UInt8] = []
        switch framing {
        case .lengthPrefixed(let size):
            var offset = 0
            while offset + size < data.count {
                var length = 0
                for i in 0..<size { length = length << 8 | Int(data[offset + i]) }
                offset += size
                guard length > 0, offset + length <= data.count else { break }
                headers.append(data[offset])
                offset += length
            }
        case .annexB:
            var i = 0
            while i + 3 < data.count {
                if data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 {
                    headers.append(data[i + 3])
                    i += 3
                } else {
                    i += 1
                }
            }
        }
        return headers
    }
}
