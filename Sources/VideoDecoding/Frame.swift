// Owner of an AVFrame, reused for every decoded picture.
import CFFmpeg

/// Owner of an AVFrame.
package final class Frame {
    package let pointer: UnsafeMutablePointer<AVFrame>

    package init() {
        guard let pointer = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        self.pointer = pointer
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&owned)
    }

    package func unref() { av_frame_unref(pointer) }
}
