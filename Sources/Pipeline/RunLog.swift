// What `vidact run` tells people and machines while it works: `text` lines on standard error
// ("vidact: step extract: 2 to do, 10 done"), or `json` — one object per event on standard output
// (`{"event": "unit", "step": "extract", "unit": "walk/1.mp4", "status": "done", "time": …}`), for
// log collectors of nightly runs.
import Basics
import Foundation

public final class RunLog: @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public let format: Format
    // Serialises writes from the extraction threads and the signal handler.
    private let lock = NSLock()

    public init(format: Format) {
        self.format = format
    }

    /// Logs an event with its fields (strings, numbers, bools).
    public func event(_ name: String, _ fields: [String: Any]) {
        lock.withLock {
            switch format {
            case .json:
                var object = fields
                object["event"] = name
                object["time"] = ISO8601DateFormatter().string(from: Date())
                let data =
                    (try? CanonicalJSON.data(object: object))
                    ?? Data()
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            case .text:
                guard let line = Self.text(name, fields) else { return }
                // People see names that are not UTF-8 with U+FFFD; JSON keeps the lossless form.
                FileHandle.standardError.write(Data(("vidact: " + FileName.display(line) + "\n").utf8))
            }
        }
    }

    static func text(_ name: String, _ fields: [String: Any]) -> String? {
        func field(_ key: String) -> String { fields[key].map { "\($0)" } ?? "" }
        switch name {
        case "run": return "run \(field("run")) in \(field("workdir")) (extractor \(field("extractor_key")))"
        case "step":
            if let skipped = fields["skipped"] { return "\(field("step")): not run (\(skipped))" }
            return field("plan")
        case "unit":
            return field("status") == "failed" ? "failed: \(field("step")) \(field("unit")): \(field("reason"))" : nil
        case "epoch":
            let loss = (fields["train_loss"] as? Double).map { String(format: "%.4f", $0) } ?? "?"
            if let words = fields["val_word_accuracy"] as? Double {
                return "train: epoch \(field("epoch")) loss \(loss) val word accuracy " + String(format: "%.3f", words)
            }
            let accuracy = (fields["val_accuracy"] as? Double).map { String(format: "%.3f", $0) } ?? "?"
            return "train: epoch \(field("epoch")) loss \(loss) val accuracy \(accuracy)"
        case "interrupted": return "interrupted by \(field("signal")); run \(field("run")) recorded as interrupted"
        default: return "\(name) \(fields)"
        }
    }
}
