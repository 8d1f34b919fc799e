// Owner of an AVPacket, reused for every read so demuxing allocates nothing per packet.
import CFFmpeg

/// Owner of an AVPacket.
package final class Packet {
    package let pointer: UnsafeMutablePointer<AVPacket>

    package init() {
        guard let pointer = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        self.pointer = pointer
    }

    deinit {
        var owned: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&owned)
    }

    package func unref() { av_packet_unref(pointer) }
    package var streamIndex: Int { Int(pointer.pointee.stream_index) }
}
