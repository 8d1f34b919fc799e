// Expands the paths given on the command line: files are taken as they are (so that a bad one is
// reported), directories are walked recursively for files with a video extension, in sorted order.
import Foundation

enum VideoFiles {
    static let extensions: Set<String> = [
        "3gp", "avi", "flv", "m2ts", "m4v", "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "mxf", "ogv", "ts", "webm",
        "wmv",
    ]

    static func expand(_ paths: [String]) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            guard exists, isDirectory.boolValue, !isVideoName(path) else {
                result.append(path)
                continue
            }
            result += walk(path)
        }
        return result
    }

    static func isVideoName(_ path: String) -> Bool {
        extensions.contains((path as NSString).pathExtension.lowercased())
    }

    private static func walk(_ directory: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            // Names with a video extension are kept even when they are not regular files (a FIFO,
            // a directory called x.mp4), so that the probe reports them instead of hiding them.
            if isVideoName(relative) {
                found.append((directory as NSString).appendingPathComponent(relative))
            }
        }
        return found.sorted()
    }
}
