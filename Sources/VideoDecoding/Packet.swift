// Owner of an AVPacket, reused for every read so demuxing allocates nothing per packet.
import CFFmpeg

/// Owner of an AVPacket.
final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let pointer = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        self.pointer = pointer
    }

    deinit {
        var owned: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&owned)
    }

    func unref() { av_packet_unref(pointer) }
    var streamIndex: Int { Int(pointer.pointee.stream_index) }
}
