// Video identity: the streaming SHA-256 equals coreutils' sha256sum (on a file larger than the
// read chunk), and the hash cache re-hashes only when (size, mtime, inode, device) change.
import FeatureStore
import Foundation
import TensorCore
import TestSupport
import Testing

struct ContentHashTests {
    @Test func streamingHashEqualsSha256sum() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SeededRNG(seed: 3)
        let bytes = (0..<(3 << 20) + 12345).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let path = dir + "/blob.bin"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let expected = try runProcess("sha256sum", [path]).stdout.prefix(64)
        #expect(try ContentHash.sha256(path: path) == String(expected))
    }

    @Test func cacheRehashesOnlyChangedFilesAndPersists() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let video = dir + "/v.mp4"
        try Data("first content".utf8).write(to: URL(fileURLWithPath: video))
        let cache = VideoHashCache(workdir: dir + "/work")
        let first = try cache.sha256(of: video)
        #expect(!first.cached)
        #expect(try cache.sha256(of: video).cached)
        try cache.save()
        // A new process (a new cache object) finds it on disk.
        let reloaded = VideoHashCache(workdir: dir + "/work")
        #expect(try reloaded.sha256(of: video).cached)
        // Touching only the mtime: re-hashed, same content hash.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: video)
        let touched = try reloaded.sha256(of: video)
        #expect(!touched.cached && touched.sha256 == first.sha256)
        // New bytes: a new hash.
        try Data("other content!".utf8).write(to: URL(fileURLWithPath: video))
        let changed = try reloaded.sha256(of: video)
        #expect(!changed.cached && changed.sha256 != first.sha256)
    }
}
