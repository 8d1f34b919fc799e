// Videos: the hash cache answers only for an unchanged identity; upserts keep the first-seen time
// and the probe; unsigned inode/device values round-trip; vanished videos are flagged, not deleted.
import Catalog
import Foundation
import Testing

struct VideoRecordTests {
    @Test func knownSHA256OnlyForAnUnchangedIdentity() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let identity = CatalogTestSupport.identity(1000)
        #expect(try catalog.knownSHA256(path: "/v/a.mp4", identity: identity) == nil)
        try catalog.upsertVideo(path: "/v/a.mp4", identity: identity, sha256: "aa", probeJSON: #"{"frames":10}"#)
        #expect(try catalog.knownSHA256(path: "/v/a.mp4", identity: identity) == "aa")
        var touched = identity
        touched.mtimeNanoseconds += 1
        #expect(try catalog.knownSHA256(path: "/v/a.mp4", identity: touched) == nil)
        #expect(try catalog.knownSHA256(path: "/v/a.mp4", identity: CatalogTestSupport.identity(1000, inode: 7)) == nil)
        #expect(try catalog.knownSHA256(path: "/v/b.mp4", identity: identity) == nil)
        let stored = try #require(try catalog.video(path: "/v/a.mp4"))
        #expect(stored.identity == identity)
        #expect(stored.identity.device == UInt64.max - 1)
    }

    @Test func upsertKeepsFirstSeenAndProbe() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        let t0 = CatalogTestSupport.t0
        let first = try catalog.upsertVideo(
            path: "/v/a.mp4", identity: CatalogTestSupport.identity(1), sha256: "aa", probeJSON: "{}", seenAt: t0)
        let second = try catalog.upsertVideo(
            path: "/v/a.mp4", identity: CatalogTestSupport.identity(1), sha256: "aa", seenAt: t0 + 60)
        #expect(second.id == first.id)
        #expect(second.firstSeen == t0)
        #expect(second.lastSeen == t0 + 60)
        #expect(second.probeJSON == "{}")
        let changed = try catalog.upsertVideo(
            path: "/v/a.mp4", identity: CatalogTestSupport.identity(2), sha256: "bb", seenAt: t0 + 120)
        #expect(changed.probeJSON == nil)
        #expect(try catalog.video(path: "/v/a.mp4") == changed)
        #expect(try catalog.videos().count == 1)
    }

    @Test func markGoneFlagsOnlyUnseenVideosUnderTheFolder() throws {
        let dir = try CatalogTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let catalog = try Catalog(workdir: dir)
        for path in ["/v/a.mp4", "/v/b.mp4", "/v/sub/c.mp4", "/vx/d.mp4"] {
            try catalog.upsertVideo(path: path, identity: CatalogTestSupport.identity(1), sha256: path)
        }
        let gone = try catalog.markGone(under: "/v", seen: ["/v/a.mp4"])
        #expect(gone == ["/v/b.mp4", "/v/sub/c.mp4"])
        #expect(try catalog.videos().map(\.path) == ["/v/a.mp4", "/vx/d.mp4"])
        #expect(try catalog.videos(includeGone: true).filter(\.gone).map(\.path) == ["/v/b.mp4", "/v/sub/c.mp4"])
        // Seen again: no longer gone.
        try catalog.upsertVideo(path: "/v/b.mp4", identity: CatalogTestSupport.identity(1), sha256: "/v/b.mp4")
        #expect(try catalog.video(path: "/v/b.mp4")?.gone == false)
        #expect(try catalog.markGone(under: "/v/", seen: ["/v/a.mp4", "/v/b.mp4"]) == [])
    }
}
