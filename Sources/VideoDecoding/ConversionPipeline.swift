// Converts decoded pictures to RGB on a second thread while the decoder works on the next ones.
// Decoding (frame-threaded inside FFmpeg) and scaling then overlap instead of taking turns, which
// is what lets a whole decode + scale run use both cores. Pictures are handed over as new
// references to the decoder's buffers (av_frame_ref, no copy); at most `depth` are in flight, so
// memory stays bounded. Results come back in submission order.
import CFFmpeg
import Dispatch

final class ConversionPipeline {
    /// One submitted picture and, once converted, its RGB frame or the error converting it.
    final class Job: @unchecked Sendable {
        // Written on the pipeline queue before `done` is signalled, read after waiting on it.
        fileprivate let picture: Frame
        fileprivate let metadata: (index: Int, timestamp: Double, time: Double)
        let repeats: Int
        fileprivate var result: Result<RGBFrame, Error>?
        fileprivate let done = DispatchSemaphore(value: 0)

        fileprivate init(picture: Frame, metadata: (Int, Double, Double), repeats: Int) {
            self.picture = picture
            self.metadata = metadata
            self.repeats = repeats
        }

        /// Blocks until converted; rethrows a conversion error.
        func wait() throws -> RGBFrame {
            done.wait()
            guard let result else { preconditionFailure("ConversionPipeline.Job: signalled without a result") }
            return try result.get()
        }
    }

    /// Pictures converted ahead of the caller.
    static let depth = 3

    private let queue = DispatchQueue(label: "vidact.rgb-conversion")
    private let converter: ConverterBox
    private(set) var pending: [Job] = []

    init(converter: RGBConverter) {
        self.converter = ConverterBox(converter)
    }

    var isFull: Bool { pending.count >= Self.depth }

    /// Takes a new reference to `frame` and queues its conversion.
    func submit(_ frame: Frame, index: Int, timestamp: Double, time: Double, repeats: Int, path: String) throws {
        let picture = Frame()
        try avCheck(
            av_frame_ref(picture.pointer, frame.pointer), "av_frame_ref", path: path, kind: .ioError,
            what: "could not keep a decoded picture")
        let job = Job(picture: picture, metadata: (index, timestamp, time), repeats: repeats)
        pending.append(job)
        let converter = self.converter
        queue.async {
            job.result = Result {
                try converter.value.convert(
                    job.picture.pointer, index: job.metadata.index, timestamp: job.metadata.timestamp,
                    time: job.metadata.time)
            }
            job.picture.unref()
            job.done.signal()
        }
    }

    /// The oldest submitted job, removed from the queue; nil when none is pending.
    func takeOldest() -> Job? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    deinit {
        // Let queued conversions finish before the converter and pictures go away.
        queue.sync {}
    }
}

/// The converter is used only on the pipeline's serial queue.
private final class ConverterBox: @unchecked Sendable {
    let value: RGBConverter

    init(_ value: RGBConverter) { self.value = value }
}
