// `vidact decode VIDEO`: decodes and converts the sampled frames and discards them, printing one
// JSON line with counts, seconds and CPU seconds, from opening the file to the last frame. For
// benchmarks (scripts/bench/decode); hidden from help.
import ArgumentParser
import Foundation
import VideoDecoding

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode, sample and convert a video, discarding the frames (for benchmarks).",
        shouldDisplay: false)

    @Argument(help: "The video file.")
    var video: String

    @OptionGroup var frames: FrameOptionGroup
    @OptionGroup var decode: DecodeOptionGroup

    mutating func run() throws {
        let start = Date()
        let cpuStart = Self.processCPUSeconds()
        let reader = try VideoReader(path: video, options: decode.options)
        let stream = try reader.frames(frames.request)
        var checksum: UInt64 = 0
        while let frame = try stream.next() {
            checksum &+= UInt64(frame.pixels[frame.pixels.count / 2])
        }
        let seconds = Date().timeIntervalSince(start)
        let cpuSeconds = Self.processCPUSeconds() - cpuStart
        let s = stream.stats
        print(
            "{\"frames\": \(s.framesEmitted), \"seconds\": \(seconds), \"cpu_seconds\": \(cpuSeconds), "
                + "\"decoded\": \(s.framesDecoded), "
                + "\"seeks\": \(s.seeks), \"segment_jobs\": \(s.segmentJobs), \"segment_fallbacks\": \(s.segmentFallbacks), "
                + "\"corrupt_packets\": \(s.corruptPackets), \"checksum\": \(checksum)}")
    }

    /// CPU time of all the process's threads so far: with `seconds`, the same in-process scope
    /// (open to last frame) as the PyAV and decord timings of scripts/bench/decode.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
