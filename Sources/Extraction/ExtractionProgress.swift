// Progress of an extraction run for people: on a terminal, one line redrawn in place (videos
// done/total, current file, frames/s, ETA); otherwise a plain line every `interval` seconds and
// one per finished or failed video, so logs of nightly runs stay readable.
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Receives the events of a run (from several threads).
public protocol ExtractionObserver: AnyObject, Sendable {
    func started(total: Int)
    func videoStarted(_ path: String)
    func framesEmbedded(_ count: Int)
    func videoEnded(_ outcome: ExtractionOutcome)
    func finished(_ summary: ExtractionSummary)
}

/// Writes progress to standard error.
public final class ExtractionProgress: ExtractionObserver, @unchecked Sendable {
    // Every field below is used with `lock` held.
    private let lock = NSLock()
    private let terminal: Bool
    private let interval: Double
    private var total = 0
    private var ended = 0
    private var frames = 0
    private var current = ""
    private var start = Date()
    private var lastDraw = Date.distantPast
    private let output: @Sendable (String) -> Void

    /// - Parameters:
    ///   - terminal: redraw one line (default: whether standard error is a terminal).
    ///   - output: where the text goes (default: standard error).
    public init(
        terminal: Bool = isatty(2) == 1, interval: Double = 10,
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.terminal = terminal
        self.interval = interval
        self.output = output
    }

    public func started(total: Int) {
        lock.withLock {
            self.total = total
            start = Date()
        }
    }

    public func videoStarted(_ path: String) {
        lock.withLock { current = path }
    }

    public func framesEmbedded(_ count: Int) {
        lock.withLock {
            frames += count
            drawIfDue()
        }
    }

    public func videoEnded(_ outcome: ExtractionOutcome) {
        lock.withLock {
            ended += 1
            if outcome.status == .failed {
                emit("failed: \(outcome.path): \(outcome.reason ?? "unknown error")", persistent: true)
            } else if !terminal && outcome.status == .done {
                emit("done: \(outcome.path) (\(outcome.frames ?? 0) frames)", persistent: true)
            }
            // A note (a quarantined earlier file, keyframe snapping that could not snap or repeats
            // keyframes) is shown on a terminal too: `vidact run` keeps no other trace of it.
            if outcome.status == .done, let note = outcome.reason {
                emit("note: \(outcome.path): \(note)", persistent: true)
            }
            drawIfDue()
        }
    }

    public func finished(_ summary: ExtractionSummary) {
        lock.withLock {
            if terminal { write("\r\u{1B}[K") }
        }
    }

    /// The status line: "[3/10] 120 frames 45.1 frames/s ETA 0:42 clip.mp4".
    private var status: String {
        let elapsed = max(Date().timeIntervalSince(start), 1e-3)
        let rate = Double(frames) / elapsed
        var eta = "--:--"
        if ended > 0 && ended < total {
            eta = Self.clock(elapsed / Double(ended) * Double(total - ended))
        }
        let name = (current as NSString).lastPathComponent
        return "[\(ended)/\(total)] \(frames) frames \(String(format: "%.1f", rate)) frames/s ETA \(eta) \(name)"
    }

    private func drawIfDue() {
        let now = Date()
        let due = terminal ? now.timeIntervalSince(lastDraw) >= 0.2 : now.timeIntervalSince(lastDraw) >= interval
        guard due else { return }
        lastDraw = now
        emit(status, persistent: !terminal)
    }

    private func emit(_ line: String, persistent: Bool) {
        if terminal {
            let width = 120
            let text = line.count > width ? String(line.prefix(width - 1)) + "…" : line
            write("\r\u{1B}[K" + text + (persistent ? "\n" : ""))
        } else {
            write("vidact: " + line + "\n")
        }
    }

    private func write(_ text: String) {
        output(text)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
