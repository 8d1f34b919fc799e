// Options shared by every subcommand that decodes video.
import ArgumentParser
import VideoDecoding

struct DecodeOptionGroup: ParsableArguments {
    @Option(help: "Decoder threads (0 = one per core).")
    var threads: Int = 0

    @Option(help: "Seconds before decoding one file is given up (0 = no limit).")
    var timeout: Double = 1800

    @Option(name: .customLong("max-corrupt"), help: "Corrupt packets skipped before a file is given up.")
    var maxCorrupt: Int = 100

    @Option(name: .customLong("max-pixels"), help: "Largest frame accepted, in pixels.")
    var maxPixels: Int = 8192 * 8192

    func validate() throws {
        if threads < 0 { throw ValidationError("--threads must be 0 or more") }
        if timeout < 0 { throw ValidationError("--timeout must be 0 or more") }
        if maxCorrupt < 0 { throw ValidationError("--max-corrupt must be 0 or more") }
        if maxPixels < 1 { throw ValidationError("--max-pixels must be positive") }
    }

    var options: DecodeOptions {
        DecodeOptions(
            threads: threads, corruptPacketBudget: maxCorrupt, timeoutSeconds: timeout > 0 ? timeout : nil,
            maxPixels: maxPixels)
    }
}
