// Atomic writes and file errors: the target holds the old bytes or the new ones, never a
// temporary file after success or failure; an exact mode survives the umask; a failed call names
// the file and carries errno (ENOENT, EACCES, ENOSPC on a full tmpfs is covered by
// VidactCLITests.DiskFullTests end to end).
import Basics
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct AtomicFileTests {
    static func leftovers(_ folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter(AtomicFile.isTemporary)
    }

    @Test func writeReplacesTheWholeFileAndLeavesNoTemporary() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("a.txt")
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second, longer\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer\n")
        #expect(try Self.leftovers(folder) == [])
    }

    /// 0o775 survives the usual umask 022 (which `open` alone would apply); a plain write keeps
    /// 0644 less the umask. (The umask is read, not changed: tests run in parallel.)
    @Test func anExactModeSurvivesTheUmask() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("run.sh")
        let mask = umask(0o022)
        umask(mask)
        try AtomicFile.write("#!/bin/sh\n", to: path, mode: 0o775)
        try AtomicFile.write("plain\n", to: folder.path("plain.txt"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let plain =
            try FileManager.default.attributesOfItem(atPath: folder.path("plain.txt"))[.posixPermissions] as? Int
        #expect(mode == 0o775)
        #expect(plain == 0o644 & ~Int(mask))
    }

    @Test func aMissingFolderIsFileNotFoundWithErrno() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("no/such/folder/x.txt")
        do {
            try AtomicFile.write("x", to: path)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            #expect(error.kind == .fileNotFound && error.errno == ENOENT && error.path == path, "\(error)")
            #expect(errnoOf(error) == ENOENT)
            #expect(error.description.hasPrefix(path + ": open: No such file or directory"), "\(error)")
        }
    }

    @Test func replaceRenamesTheBodysFileOrRemovesIt() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("clip.bin")
        let written = try AtomicFile.replace(path) { temporary in
            #expect(temporary != path && AtomicFile.isTemporary((temporary as NSString).lastPathComponent))
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: temporary))
            return 3
        }
        #expect(written == 3 && FileManager.default.contents(atPath: path) == Data([1, 2, 3]))
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try AtomicFile.replace(path) { temporary in
                try Data([9]).write(to: URL(fileURLWithPath: temporary))
                throw Refused()
            }
        }
        #expect(FileManager.default.contents(atPath: path) == Data([1, 2, 3]), "a failed replace kept the old file")
        #expect(try Self.leftovers(folder) == [])
    }

    @Test func errnoKindsAreMapped() {
        #expect(FileError.Kind(errno: ENOENT) == .fileNotFound && FileError.Kind(errno: EACCES) == .permissionDenied)
        #expect(FileError.Kind(errno: ENOSPC) == .diskFull && FileError.Kind(errno: EIO) == .ioError)
        #expect(FileError.Kind(errno: EISDIR) == .notARegularFile)
    }
}
