// Locates the committed fixtures of the decode tests (made by scripts/fixtures/make-decode-fixtures);
// the ffmpeg/ffprobe oracles themselves are in TestSupport.
import Foundation
import TestSupport
import VideoDecoding

extension Oracle {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A fixture's path. Every test reaches its clips through here, so this is also where FFmpeg's
    /// own stderr logging is silenced (the damaged fixtures would flood the test output).
    static func fixture(_ name: String) -> String {
        _ = quiet
        return fixtures.appendingPathComponent(name).path
    }

    private static let quiet: Void = FFmpegLog.setLevel(.quiet)
}
