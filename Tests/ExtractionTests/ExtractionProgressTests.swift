// The progress output of `features extract` and `vidact run`'s extract step: on a terminal one
// line redrawn in place (videos done/total, frames, frames/s, ETA, current file) with failures
// kept on their own lines; otherwise plain lines, one per finished or failed video.
import Foundation
import Testing

@testable import Extraction

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func append(_ text: String) { lock.withLock { parts.append(text) } }
    var text: String { lock.withLock { parts.joined() } }
}

struct ExtractionProgressTests {
    static func outcome(_ path: String, _ status: ExtractionOutcome.Status, reason: String? = nil) -> ExtractionOutcome
    {
        ExtractionOutcome(path: path, status: status, featurePath: nil, frames: 3, reason: reason, seconds: 1)
    }

    @Test func aTerminalGetsOneRedrawnLineAndFailuresStay() {
        let collected = Collected()
        let progress = ExtractionProgress(terminal: true, output: { collected.append($0) })
        progress.started(total: 2)
        progress.videoStarted("/v/a.mp4")
        progress.framesEmbedded(3)
        progress.videoEnded(Self.outcome("/v/a.mp4", .done))
        progress.videoStarted("/v/b.mp4")
        progress.videoEnded(Self.outcome("/v/b.mp4", .failed, reason: "notAVideo: empty"))
        let text = collected.text
        // The first draw: erase the line, then the status, no newline.
        #expect(text.hasPrefix("\r\u{1B}[K[0/2] 3 frames "), "\(text.debugDescription)")
        #expect(text.contains("frames/s ETA --:-- a.mp4"), "\(text.debugDescription)")
        #expect(text.contains("\r\u{1B}[Kfailed: /v/b.mp4: notAVideo: empty\n"), "\(text.debugDescription)")
        #expect(!text.contains("done: "), "finished videos are not listed on a terminal")
        progress.finished(ExtractionSummary(key: "k", outcomes: [], seconds: 1, framesEmbedded: 3))
        #expect(collected.text.hasSuffix("\r\u{1B}[K"), "the status line is cleared at the end")
    }

    @Test func plainOutputHasALinePerVideo() {
        let collected = Collected()
        let progress = ExtractionProgress(terminal: false, interval: 3600, output: { collected.append($0) })
        progress.started(total: 2)
        progress.videoEnded(Self.outcome("/v/a.mp4", .done))
        progress.videoEnded(Self.outcome("/v/b.mp4", .failed, reason: "corruptData: truncated"))
        progress.videoEnded(Self.outcome("/v/c.mp4", .skipped))
        let lines = collected.text.split(separator: "\n").map(String.init)
        #expect(lines.first == "vidact: done: /v/a.mp4 (3 frames)", "\(lines)")
        #expect(lines.contains { $0.hasPrefix("vidact: [1/2] 0 frames 0.0 frames/s ETA ") }, "\(lines)")
        #expect(lines.contains("vidact: failed: /v/b.mp4: corruptData: truncated"), "\(lines)")
        #expect(!lines.contains { $0.contains("c.mp4") }, "skipped videos get no line")
        #expect(!collected.text.contains("\u{1B}"), "no terminal codes in plain output")
        #expect(ExtractionProgress.clock(3725) == "1:02:05" && ExtractionProgress.clock(42) == "0:42")
    }
}
