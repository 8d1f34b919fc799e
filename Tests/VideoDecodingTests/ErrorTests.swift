// Every bad input yields its typed error, with the file named in the message: no crash, no hang.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding

struct ErrorTests {
    func expectError(
        _ kind: DecodeError.Kind, _ path: String, count: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let reader = try VideoReader(path: path, options: DecodeOptions(timeoutSeconds: 20))
            if count {
                _ = try reader.countFrames()
            } else {
                let frames = try reader.frames()
                while try frames.next() != nil {}
            }
            Issue.record("\(path): expected \(kind), got no error", sourceLocation: sourceLocation)
        } catch let error as DecodeError {
            #expect(error.kind == kind, "\(path): \(error)", sourceLocation: sourceLocation)
            #expect(
                error.description.contains(path), "message does not name the file: \(error)",
                sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(path): unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func missingFile() { expectError(.fileNotFound, "/nonexistent/clip.mp4") }
    @Test func emptyFile() { expectError(.notAVideo, Oracle.fixture("empty.mp4")) }
    @Test func randomBytes() { expectError(.notAVideo, Oracle.fixture("random.mp4")) }
    @Test func audioOnly() { expectError(.noVideoStream, Oracle.fixture("audio_only.m4a")) }
    @Test func coverArtOnly() { expectError(.noVideoStream, Oracle.fixture("cover_only.mp3")) }
    @Test func truncatedWithoutIndex() { expectError(.notAVideo, Oracle.fixture("truncated_nomoov.mp4")) }

    @Test func directoryNamedLikeAVideo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("x.mp4")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        expectError(.notARegularFile, path)
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("pipe.mp4")
        #expect(mkfifo(path, 0o644) == 0)
        // Nobody ever writes to this FIFO: opening it for reading would block forever.
        expectError(.notARegularFile, path)
    }

    @Test func danglingSymlinkAndLoop() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: dir.path("dangling.mp4"), withDestinationPath: dir.path("gone.mp4"))
        expectError(.notARegularFile, dir.path("dangling.mp4"))
        try FileManager.default.createSymbolicLink(atPath: dir.path("a.mp4"), withDestinationPath: dir.path("b.mp4"))
        try FileManager.default.createSymbolicLink(atPath: dir.path("b.mp4"), withDestinationPath: dir.path("a.mp4"))
        expectError(.notARegularFile, dir.path("a.mp4"))
    }

    @Test func goodSymlinkIsFollowed() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: dir.path("link.mp4"), withDestinationPath: Oracle.fixture("h264.mp4"))
        #expect(try VideoReader(path: dir.path("link.mp4")).info.codec == "h264")
    }

    @Test func errnoMapping() {
        // Root reads everything, so EACCES cannot be provoked here; the mapping itself is checked.
        #expect(InputGuard.error(errno: EACCES, path: "p", step: "access").kind == .permissionDenied)
        #expect(InputGuard.error(errno: ENOENT, path: "p", step: "lstat").kind == .fileNotFound)
        #expect(InputGuard.error(errno: EIO, path: "p", step: "stat").kind == .ioError)
    }

    @Test func pixelCap() {
        do {
            _ = try VideoReader(path: Oracle.fixture("h264.mp4"), options: DecodeOptions(maxPixels: 100))
            Issue.record("expected tooLarge")
        } catch let error as DecodeError {
            #expect(error.kind == .tooLarge)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func durationCap() throws {
        // long_gop.mp4 lasts 12 s. A header claiming more than twice the cap is refused at open…
        #expect(throws: DecodeError.self) {
            _ = try VideoReader(path: Oracle.fixture("long_gop.mp4"), options: DecodeOptions(maxDurationSeconds: 5))
        }
        // …and within that slack the decoded timestamps are checked, in both sampling paths.
        for sampling: Sampling in [.all, .uniform(3)] {
            do {
                _ = try decode(
                    Oracle.fixture("long_gop.mp4"),
                    FrameRequest(sampling: sampling, geometry: .size(width: 8, height: 8)),
                    options: DecodeOptions(maxDurationSeconds: 8))
                Issue.record("\(sampling): expected tooLarge")
            } catch let error as DecodeError {
                #expect(error.kind == .tooLarge, "\(error)")
            }
        }
    }

    @Test func watchdogStopsDecoding() throws {
        // A deadline that has already passed: the next read or frame must stop with timedOut.
        do {
            let frames = try VideoReader(
                path: Oracle.fixture("long_gop.mp4"), options: DecodeOptions(timeoutSeconds: 1e-9)
            )
            .frames()
            while try frames.next() != nil {}
            Issue.record("expected timedOut")
        } catch let error as DecodeError {
            #expect(error.kind == .timedOut, "\(error)")
        }
    }

    @Test func corruptBudgetIsEnforced() throws {
        let path = Oracle.fixture("corrupt_mid.ts")
        // One decoder thread: with frame threading under a loaded machine FFmpeg was once seen to
        // conceal the damaged packets of this file without flagging them (0 counted, 75 frames).
        let tolerant = try decode(
            path, FrameRequest(geometry: .size(width: 32, height: 24)), options: DecodeOptions(threads: 1))
        #expect(tolerant.stats.corruptPackets + tolerant.stats.corruptFrames > 0, "\(tolerant.stats)")
        #expect(tolerant.frames.count > 10)
        do {
            _ = try decode(path, FrameRequest(), options: DecodeOptions(corruptPacketBudget: 0))
            if tolerant.stats.corruptPackets > 0 { Issue.record("expected corruptData with a budget of 0") }
        } catch let error as DecodeError {
            #expect(error.kind == .corruptData, "\(error)")
        }
    }

    @Test func truncatedFileDecodesWhatIsThereAndSaysItIsDamaged() throws {
        let path = Oracle.fixture("truncated.mp4")
        let reader = try VideoReader(path: path)
        let count = try reader.countFrames()
        #expect(count.decoded == (try Oracle.frameTimestamps(path)).count)
        #expect((reader.info.headerFrameCount ?? 0) > count.decoded)
        #expect(count.corruptPackets + count.readErrors > 0, "\(count)")
    }

    @Test func invalidRequests() throws {
        let reader = try VideoReader(path: Oracle.fixture("h264.mp4"))
        for request in [
            FrameRequest(sampling: .fps(0)), FrameRequest(sampling: .stride(0)), FrameRequest(sampling: .uniform(0)),
            FrameRequest(geometry: .size(width: 0, height: 4)),
        ] {
            #expect(throws: DecodeError.self) { _ = try reader.frames(request) }
        }
    }

    /// A system error FFmpeg reports as AVERROR(e) = −e carries errno e (a full disk is ENOSPC);
    /// FFmpeg's own tagged codes and errors without a code carry none.
    @Test func ffmpegSystemErrorsCarryTheirErrno() {
        #expect(DecodeError(.ioError, path: "v", "write", call: "avio_write", code: -ENOSPC).errno == ENOSPC)
        #expect(DecodeError(.corruptData, path: "v", "bad", call: "decode", code: FFmpegCodes.invalidData).errno == nil)
        #expect(DecodeError(.notAVideo, path: "v", "no code").errno == nil)
    }

}
