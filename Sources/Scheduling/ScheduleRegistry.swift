// The record of installed schedules, `~/.config/vidact/schedules.json` (`$XDG_CONFIG_HOME/vidact`
// when set; `$VIDACT_CONFIG_HOME` overrides the folder, for tests). JSON, written atomically:
//
//   {"format": "vidact-schedules", "version": 1, "schedules": [<Schedule>, …]}
//
// sorted by name. `vidact schedule list` and `remove` read it; a missing file is an empty registry.
import Basics
import Foundation

/// The installed schedules, by name.
public struct ScheduleRegistry: Sendable {
    public static let format = "vidact-schedules"
    public static let version = 1

    /// The registry file.
    public let path: String

    public init(path: String) { self.path = path }

    /// The registry in the config folder of `environment`.
    public init(environment: [String: String]) {
        let folder = environment["VIDACT_CONFIG_HOME"] ?? (Self.configHome(environment) + "/vidact")
        self.init(path: folder + "/schedules.json")
    }

    /// `$XDG_CONFIG_HOME`, or `$HOME/.config`.
    public static func configHome(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
    }

    struct File: Codable {
        var format: String
        var version: Int
        var schedules: [Schedule]
    }

    /// Every schedule, sorted by name.
    public func load() throws -> [Schedule] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.format == Self.format else {
            throw ScheduleError(
                .registry, path, "not a vidact schedule registry (\(Self.format)); move it away and reinstall")
        }
        guard file.version == Self.version else {
            throw ScheduleError(
                .registry, path, "registry version \(file.version); this vidact reads version \(Self.version)")
        }
        return file.schedules.sorted { $0.name < $1.name }
    }

    /// The schedule named `name`, if any.
    public func schedule(named name: String) throws -> Schedule? {
        try load().first { $0.name == name }
    }

    /// Stores `schedule`, replacing one of the same name.
    public func save(_ schedule: Schedule) throws {
        try store(try load().filter { $0.name != schedule.name } + [schedule])
    }

    /// Forgets the schedule named `name`.
    public func remove(name: String) throws {
        try store(try load().filter { $0.name != name })
    }

    private func store(_ schedules: [Schedule]) throws {
        let file = File(format: Self.format, version: Self.version, schedules: schedules.sorted { $0.name < $1.name })
        try ScheduleFiles.write(CanonicalJSON.string(of: file, pretty: true) + "\n", to: path, mode: 0o644)
    }
}
