// The store: paths as DESIGN.md gives them, invalid or misplaced files quarantined with a log line
// (and then reported missing, so they are redone), stale temporary files swept, listing, and gc.
import FeatureStore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct FeatureStoreTests {
    @Test func writeLookupAndPath() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FeatureStore(workdir: dir)
        let volume = StoreFixtures.volume(sha: "ab" + String(repeating: "0", count: 62))
        let path = try store.write(volume)
        let key = volume.info.spec.key
        #expect(path == "\(dir)/features/\(key)/ab/ab\(String(repeating: "0", count: 62)).safetensors")
        guard case .valid(let found, let shape) = try store.lookup(key: key, videoSHA256: volume.info.videoSHA256)
        else {
            Issue.record("not found")
            return
        }
        #expect(found == path && shape == [5, 8])
        guard case .missing = try store.lookup(key: "0123456789abcdef", videoSHA256: volume.info.videoSHA256) else {
            Issue.record("another key must miss")
            return
        }
    }

    @Test func invalidAndMisplacedFilesAreQuarantinedAndRedone() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FeatureStore(workdir: dir)
        let volume = StoreFixtures.volume()
        let key = volume.info.spec.key
        let path = try store.write(volume)
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: path))
        guard
            case .quarantined(let reason, let movedTo) = try store.lookup(
                key: key, videoSHA256: volume.info.videoSHA256)
        else {
            Issue.record("a garbage file must be quarantined")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(FileManager.default.fileExists(atPath: movedTo) && movedTo.hasPrefix(dir + "/quarantine/"))
        let log = try String(contentsOfFile: dir + "/quarantine/quarantine.log", encoding: .utf8)
        #expect(log.contains(path) && log.contains(reason))
        guard case .missing = try store.lookup(key: key, videoSHA256: volume.info.videoSHA256) else {
            Issue.record("after quarantine the volume is missing")
            return
        }
        // A valid file of another video under this video's name is misplaced.
        let other = StoreFixtures.volume(sha: String(repeating: "d", count: 64))
        try FeatureFile.write(other, to: path)
        guard case .quarantined(let why, _) = try store.lookup(key: key, videoSHA256: volume.info.videoSHA256) else {
            Issue.record("a misplaced file must be quarantined")
            return
        }
        #expect(why.contains("sits under"))
    }

    @Test func staleTemporaryFilesAreSwept() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FeatureStore(workdir: dir)
        let path = try store.write(StoreFixtures.volume())
        let folder = (path as NSString).deletingLastPathComponent
        // pid 2^22 + 1 is above Linux's pid_max default range of live processes here.
        let dead = "\(folder)/.x.safetensors.tmp-4194305-123"
        let live = "\(folder)/.y.safetensors.tmp-\(getpid())-456"
        let unrelated = "\(folder)/.hidden-note"
        for file in [dead, live, unrelated] { _ = FileManager.default.createFile(atPath: file, contents: Data([1])) }
        let removed = store.sweepTemporaries()
        #expect(removed == [dead])
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: unrelated))
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func listingShowsValidAndInvalidVolumes() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FeatureStore(workdir: dir)
        let spec = StoreFixtures.spec()
        try store.recordUse(of: spec)
        try store.write(StoreFixtures.volume(sha: String(repeating: "1", count: 64), source: "/v/b.mp4"))
        let bad = try store.write(StoreFixtures.volume(sha: String(repeating: "2", count: 64), source: "/v/a.mp4"))
        try Data("broken".utf8).write(to: URL(fileURLWithPath: bad))
        let entries = store.entries()
        #expect(entries.count == 2)
        let valid = entries.compactMap { try? $0.content.get() }
        #expect(valid.count == 1 && valid[0].info.sourcePath == "/v/b.mp4" && valid[0].shape == [5, 8])
        #expect(entries.contains { $0.path == bad && (try? $0.content.get()) == nil })
        #expect(store.keyRecord(spec.key)?.spec == spec)
    }

    @Test func garbageCollectionFindsGoneVideosUnusedKeysAndInvalidFiles() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FeatureStore(workdir: dir)
        let hashes = VideoHashCache(workdir: dir)
        let present = dir + "/present.mp4"
        try Data("video bytes".utf8).write(to: URL(fileURLWithPath: present))
        let presentSHA = try hashes.sha256(of: present).sha256
        let used = StoreFixtures.spec()
        let unused = StoreFixtures.spec(sampling: "uniform:8")
        try store.recordUse(of: used)
        try store.recordUse(of: unused, at: Date(timeIntervalSinceNow: -40 * 86_400))
        let keep = try store.write(StoreFixtures.volume(spec: used, sha: presentSHA, source: present))
        let gone = try store.write(
            StoreFixtures.volume(spec: used, sha: String(repeating: "e", count: 64), source: dir + "/deleted.mp4"))
        let old = try store.write(StoreFixtures.volume(spec: unused, sha: presentSHA, source: present))
        let dry = store.collectGarbage(unusedDays: 30, hashes: hashes, apply: false)
        let reasons = Dictionary(uniqueKeysWithValues: dry.map { ($0.path, $0.reason) })
        #expect(reasons == [gone: .videoGone, old: .keyUnused], "\(dry.map { "\($0.path) \($0.detail)" })")
        #expect(
            [keep, gone, old].allSatisfy { FileManager.default.fileExists(atPath: $0) }, "a dry run deletes nothing")
        // The video changes: its volume is garbage too.
        try Data("new video bytes".utf8).write(to: URL(fileURLWithPath: present))
        let applied = store.collectGarbage(unusedDays: 30, hashes: hashes, apply: true)
        #expect(Set(applied.map(\.path)) == [keep, gone, old])
        #expect(applied.first { $0.path == keep }?.reason == .videoChanged)
        #expect(store.entries().isEmpty)
        #expect(!store.keys().contains(unused.key), "the unused key's folder goes")
    }
}
