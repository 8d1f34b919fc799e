// Expands the paths given on the command line: files are taken as they are (so that a bad one is
// reported), directories are walked recursively for files with a video extension, in sorted order.
import Basics
import Foundation
import VideoDecoding

enum VideoFiles {
    static let extensions = Set(VideoExtensions.defaults)

    static func expand(_ paths: [String]) -> [String] {
        var result: [String] = []
        for path in paths {
            guard DirectoryWalk.isFolder(path), !isVideoName(path) else {
                result.append(path)
                continue
            }
            result += walk(path)
        }
        return result
    }

    static func isVideoName(_ path: String) -> Bool {
        extensions.contains(DirectoryWalk.pathExtension(path))
    }

    /// Names with a video extension are kept even when they are not regular files (a FIFO, a
    /// directory called x.mp4), so that the probe reports them instead of hiding them.
    private static func walk(_ directory: String) -> [String] {
        let found = (try? DirectoryWalk.files(under: directory, include: isVideoName)) ?? []
        return found.map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
    }
}
