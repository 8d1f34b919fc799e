// File names as bytes: every byte string survives decode → bytes (seeded random names, the
// escape range itself), valid UTF-8 reads as itself, and the oracle is the file system: a file
// whose name is `ff fe` (made by bash's printf, not by us) is listed by DirectoryWalk exactly as
// `find` lists it, opens through FileDescriptor, and is shown with U+FFFD.
import Basics
import Foundation
import TestSupport
import Testing

struct FileNameTests {
    @Test func everyByteStringRoundTrips() {
        var state: UInt64 = 20_261_205
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let count = Int(state >> 59)
            var bytes: [UInt8] = []
            for _ in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 33) | 1)  // no NUL in names
            }
            #expect(FileName.bytes(FileName.decode(bytes)) == bytes, "\(bytes)")
        }
        // A valid UTF-8 sequence for a scalar of the escape range is escaped byte by byte, so it
        // cannot be confused with the escapes of four invalid bytes.
        let escapeScalar: [UInt8] = [0xF4, 0x8F, 0xBE, 0x80]
        #expect(FileName.decode(escapeScalar).unicodeScalars.count == 4)
        #expect(FileName.bytes(FileName.decode(escapeScalar)) == escapeScalar)
        // Overlong, surrogate and out-of-range forms are not UTF-8.
        for invalid: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(FileName.hasEscapes(FileName.decode(invalid)), "\(invalid)")
            #expect(FileName.bytes(FileName.decode(invalid)) == invalid)
        }
    }

    @Test func validNamesAreThemselves() {
        for name in ["clip.mp4", "été/日本 q'uote \"x\".mkv", "a\u{1F600}b", ""] {
            #expect(FileName.decode(Array(name.utf8)) == name)
            #expect(FileName.bytes(name) == Array(name.utf8))
            #expect(!FileName.hasEscapes(name) && FileName.display(name) == name)
        }
    }

    @Test func aNonUTF8NameIsWalkedOpenedAndDisplayed() throws {
        let dir = try TemporaryDirectory.make("filename")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Made by the shell from bytes: ff fe x.mp4, and a valid name, a hidden one, a nested one.
        let made = try runProcess(
            "bash",
            [
                "-c",
                "cd \"$1\" && mkdir -p sub .hidden && printf data > \"$(printf 'sub/\\377\\376x.mp4')\" "
                    + "&& printf v > ok.mp4 && printf h > .hidden/h.mp4 && printf n > .n.mp4",
                "bash", dir,
            ])
        try #require(made.status == 0, "\(made.stderr)")
        let found = try DirectoryWalk.files(under: dir) { _ in true }
        // The oracle: find's names as bytes (NUL-separated), hidden ones pruned.
        let listed = try runProcess(
            "bash", ["-c", "cd \"$1\" && find . -mindepth 1 -name '.*' -prune -o -mindepth 1 -print0", "bash", dir])
        let expected = listed.stdoutData.split(separator: 0).map { Array($0.dropFirst(2)) }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        #expect(found.map(FileName.bytes) == expected, "\(found)")
        let odd = try #require(found.first { FileName.hasEscapes($0) })
        #expect(FileName.bytes(odd) == Array("sub/".utf8) + [0xFF, 0xFE] + Array("x.mp4".utf8))
        #expect(FileName.display(odd) == "sub/\u{FFFD}\u{FFFD}x.mp4")
        #expect(DirectoryWalk.pathExtension(odd) == "mp4")
        let file = try FileDescriptor(path: dir + "/" + odd, flags: O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 8)
        let count = buffer.withUnsafeMutableBytes { read(file.rawValue, $0.baseAddress, 8) }
        #expect(Array(buffer.prefix(count)) == Array("data".utf8))
    }
}
