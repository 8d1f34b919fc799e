// Fuzz target `decode`: vidact's handling of whatever FFmpeg makes of the bytes (FFmpeg itself is
// fuzzed upstream): open and probe, then the first frames of a uniform sample through the sampler,
// the seeking logic and RGB conversion, with the watchdog (5 s) and a pixel cap (1920x1080) on.
// The bytes are read in memory through vidact's custom AVIOContext (`MemoryIO`), so its read and
// seek callbacks are fuzzed too and no file is written per input.
import VideoDecoding

enum FuzzDecodeTarget {
    @Sendable static func run(_ bytes: [UInt8]) {
        _ = framesDecoded(bytes)
    }

    /// How many of the 4 sampled frames came out.
    static func framesDecoded(_ bytes: [UInt8]) -> Int {
        // FFmpeg's own complaints about damaged input would flood the log (and slow the fuzzer);
        // vidact reports through DecodeError, as the CLI does.
        FFmpegLog.setLevel(.quiet)
        let options = DecodeOptions(threads: 1, corruptPacketBudget: 20, timeoutSeconds: 5, maxPixels: 1920 * 1080)
        guard let reader = try? VideoReader(bytes: bytes, name: "input.video", options: options) else { return 0 }
        let request = FrameRequest(sampling: .uniform(4), geometry: .size(width: 32, height: 24))
        guard let frames = try? reader.frames(request) else { return 0 }
        var count = 0
        while count < 4, (try? frames.next()) != nil { count += 1 }
        return count
    }
}
