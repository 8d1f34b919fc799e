// Headless Chromium (Debian's `chromium` package, installed by scripts/bootstrap) as the oracle of
// the HTML report tests: the DOM after the page's scripts ran (`--dump-dom`), a PNG screenshot,
// and the page's console messages, which Chromium prints to stderr with `--enable-logging=stderr`
// as `…:INFO:CONSOLE:…] "message", source: URL (line)` whatever the level. Each call gets its own
// throw-away profile folder so tests can run side by side. A missing chromium is an error that
// says to run scripts/bootstrap: the tests fail, they are never skipped.
import Foundation

public struct ChromiumMissing: Error, CustomStringConvertible {
    public var description: String {
        "chromium is not installed (no /usr/bin/chromium and none on PATH): run scripts/bootstrap, which installs "
            + "Debian's chromium package for the report tests"
    }
}

/// What Chromium made of one page.
public struct ChromiumPage: Sendable {
    public var status: Int32
    /// The serialised DOM after scripts ran (`--dump-dom`).
    public var dom: String
    /// Chromium's stderr (startup warnings about dbus or the GPU are normal).
    public var stderr: String

    /// The page's console messages (log, warning, error and uncaught exceptions alike).
    public var consoleLines: [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
    }
}

public enum Chromium {
    /// The chromium executable; throws `ChromiumMissing` when there is none.
    public static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        for folder in ["/usr/bin"] + path.split(separator: ":").map(String.init) {
            let candidate = folder + "/chromium"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ChromiumMissing()
    }

    /// Loads `url` headless and returns the DOM after its scripts ran, with the console output.
    public static func dumpDOM(_ url: String) throws -> ChromiumPage {
        let result = try run(["--dump-dom", url])
        return ChromiumPage(status: result.status, dom: result.stdout, stderr: result.stderr)
    }

    /// Renders `url` to the PNG file `png` in a `width`×`height` window.
    public static func screenshot(
        _ url: String, to png: String, width: Int = 1200, height: Int = 2000
    ) throws
        -> ProcessResult
    {
        try run(["--screenshot=\(png)", "--window-size=\(width),\(height)", "--hide-scrollbars", url])
    }

    static func run(_ arguments: [String]) throws -> ProcessResult {
        let chromium = try executable()
        let profile = NSTemporaryDirectory() + "vidact-chromium-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try runProcess(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile)", "--enable-logging=stderr", "--v=0",
            ] + arguments)
    }
}
