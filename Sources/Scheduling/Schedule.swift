// A nightly schedule of one pipeline (`vidact schedule install`): its name, the backend that fires
// it (a systemd timer or a cron line), the daily time, and what the generated wrapper script runs
// and notifies. `Scheduler` installs, lists and removes schedules; `ScheduleRegistry` remembers
// them; `ScheduleWrapper`, `SystemdUnits` and `CrontabBlock` generate the files.
import Foundation

/// One installed (or to-be-installed) schedule. Codable: it is stored in the registry.
public struct Schedule: Codable, Sendable, Equatable {
    /// What fires the wrapper script.
    public enum Backend: String, Codable, Sendable, CaseIterable {
        /// A service + timer unit pair (`Persistent=true`: a missed night runs at the next boot).
        case systemd
        /// A managed block in the user's crontab (no catch-up of missed nights).
        case cron
    }

    /// `[A-Za-z0-9_-]+`; the units are `vidact-<name>.service|timer`, the wrapper `<name>.sh`.
    public var name: String
    public var backend: Backend
    /// Absolute path of the pipeline file.
    public var pipeline: String
    /// Absolute workdir of the pipeline (logs, wrapper script and last-run record live under it).
    public var workdir: String
    public var time: DailyTime
    /// Up to this many seconds of random delay after `time` (systemd `RandomizedDelaySec`; for cron
    /// the wrapper sleeps).
    public var randomDelay: Int
    /// Absolute path of the vidact binary the wrapper runs.
    public var vidact: String
    /// Shell command run (by `bash -c`) after a failed run; nil: none.
    public var onFailure: String?
    /// URL that receives an HTTP POST of the run's JSON summary; nil: none.
    public var webhook: String?
    /// systemd: a system unit (`/etc/systemd/system`) rather than a user unit.
    public var system: Bool
    /// systemd system units: the user the service runs as (`User=`); nil: root.
    public var runAs: String?
    /// systemd: the folder the units were written to.
    public var unitDirectory: String?

    public init(
        name: String, backend: Backend, pipeline: String, workdir: String, time: DailyTime, randomDelay: Int = 0,
        vidact: String, onFailure: String? = nil, webhook: String? = nil, system: Bool = false, runAs: String? = nil,
        unitDirectory: String? = nil
    ) {
        self.name = name
        self.backend = backend
        self.pipeline = pipeline
        self.workdir = workdir
        self.time = time
        self.randomDelay = randomDelay
        self.vidact = vidact
        self.onFailure = onFailure
        self.webhook = webhook
        self.system = system
        self.runAs = runAs
        self.unitDirectory = unitDirectory
    }

    /// The generated wrapper script: `<workdir>/schedule/<name>.sh`.
    public var wrapperPath: String { workdir + "/schedule/" + name + ".sh" }
    /// The last run's record, written by the wrapper: `<workdir>/schedule/<name>.last`.
    public var lastRunPath: String { workdir + "/schedule/" + name + ".last" }
    /// The last run's JSON summary (the webhook's body): `<workdir>/schedule/<name>.summary.json`.
    public var summaryPath: String { workdir + "/schedule/" + name + ".summary.json" }
    /// `vidact-<name>`: the stem of the systemd unit names.
    public var unitStem: String { "vidact-" + name }

    /// True when `name` can name a schedule: `[A-Za-z0-9_-]+`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                    || $0 == "-"
            }
    }

    /// A valid name made from a pipeline file's name (`nightly.yaml` → `nightly`).
    public static func defaultName(pipeline: String) -> String {
        let stem = ((pipeline as NSString).lastPathComponent as NSString).deletingPathExtension
        let cleaned = String(stem.map { isValidName(String($0)) ? $0 : "-" })
        return cleaned.isEmpty ? "pipeline" : cleaned
    }
}
