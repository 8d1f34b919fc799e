// One scratch folder per fuzzing process (on /dev/shm when it exists, so inputs stay in memory),
// holding the current input as a file for the readers that take a path.
import Foundation

enum FuzzScratch {
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(base)/vidact-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `name` in the scratch folder and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Removes `names` (an input's file and whatever SQLite left beside it).
    static func remove(_ names: [String]) {
        for name in names { unlink(folder + "/" + name) }
    }
}
