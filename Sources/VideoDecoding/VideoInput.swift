// Where a video's bytes come from. Most inputs are files, opened by path; a buffer already in
// memory (the `decode` fuzz target, a caller that downloaded the bytes) is read through a custom
// AVIOContext (`MemoryIO`) so the same demux and decode code runs on it without a temporary file.

struct VideoInput: Sendable {
    /// The path of a file, or the name a buffer goes by in errors.
    let name: String
    /// The whole file in memory; nil to read the file at `name`.
    let bytes: [UInt8]?

    static func file(_ path: String) -> VideoInput { VideoInput(name: path, bytes: nil) }
}
