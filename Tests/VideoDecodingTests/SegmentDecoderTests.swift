// Decoding segments side by side (several single-threaded decoders, `SegmentDecoder`) gives the
// same frames, byte for byte, as one decoder running through the file; where a stream may not be
// cut (open GOPs, non-IDR keyframes, damage), it is not, or the sequential decoder takes over.
import Foundation
import TestSupport
import Testing

@testable import VideoDecoding

struct GOPPlanTests {
    typealias P = GOPPlan.Packet

    /// Decoding order of I0 P3 B1 B2 | I4 P7 B5 B6 | I8 P9, timestamps = display positions.
    static let closed: [P] = [0, 3, 1, 2, 4, 7, 5, 6, 8, 9].map { P(pts: $0, cleanKey: $0 % 4 == 0) }

    @Test func closedGOPsSplitAtEveryCleanKeyframe() throws {
        let plan = try #require(GOPPlan.split(Self.closed))
        #expect(plan.segments.map(\.frames) == [0..<4, 4..<8, 8..<10])
        #expect(plan.segments.map(\.startTicks) == [nil, 4, 8])
        #expect(plan.segments.map(\.endTicks) == [4, 8, nil])
    }

    @Test func leadingPicturesOfAnOpenGOPPreventTheCut() throws {
        // I0 P3 B1 B2 | I6 B4 B5 P9 B7 B8: B4 and B5 follow I6 in decoding order but are shown
        // before it, so they may reference P3: no cut at I6.
        let open: [P] = [0, 3, 1, 2, 6, 4, 5, 9, 7, 8].map { P(pts: $0, cleanKey: $0 == 0 || $0 == 6) }
        #expect(GOPPlan.split(open) == nil)
    }

    @Test func keyframesThatAreNotCleanAreNotCuts() throws {
        let unclean = Self.closed.map { P(pts: $0.pts, cleanKey: $0.pts == 0) }
        #expect(GOPPlan.split(unclean) == nil)
        var one = Self.closed.map { P(pts: $0.pts, cleanKey: $0.pts == 0 || $0.pts == 8) }
        #expect(try #require(GOPPlan.split(one)).segments.map(\.frames) == [0..<8, 8..<10])
        one[0].cleanKey = false  // the first segment starts at the file's start whatever it is
        #expect(try #require(GOPPlan.split(one)).segments.first?.startTicks == nil)
    }

    @Test func repeatedTimestampsAreNotSplit() {
        var packets = Self.closed
        packets[9].pts = 8
        #expect(GOPPlan.split(packets) == nil)
    }
}

struct RandomAccessPointTests {
    @Test func nalUnitTypesFromBothFramings() {
        // Length-prefixed (4 bytes): SEI (6) then an IDR slice (0x65 = nal_ref_idc 3, type 5).
        let avcc: [UInt8] = [0, 0, 0, 2, 0x06, 0xff, 0, 0, 0, 3, 0x65, 0x88, 0x80]
        avcc.withUnsafeBufferPointer { data in
            #expect(RandomAccessPoint.nalHeaders(data, framing: .lengthPrefixed(bytes: 4)) == [0x06, 0x65])
            #expect(RandomAccessPoint.isClean(data, rule: .h264IDR(.lengthPrefixed(bytes: 4))))
        }
        // Annex B: a non-IDR I slice (type 1) only.
        let annexB: [UInt8] = [0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x41, 0x9a, 0x00]
        annexB.withUnsafeBufferPointer { data in
            #expect(RandomAccessPoint.nalHeaders(data, framing: .annexB) == [0x09, 0x41])
            #expect(!RandomAccessPoint.isClean(data, rule: .h264IDR(.annexB)))
        }
        // HEVC CRA (type 21: header 0x2a 0x01) is an IRAP; TRAIL_R (type 1: 0x02 0x01) is not.
        let cra: [UInt8] = [0, 0, 0, 3, 0x2a, 0x01, 0xaf]
        let trail: [UInt8] = [0, 0, 0, 3, 0x02, 0x01, 0xd0]
        cra.withUnsafeBufferPointer {
            #expect(RandomAccessPoint.isClean($0, rule: .hevcIRAP(.lengthPrefixed(bytes: 4))))
        }
        trail.withUnsafeBufferPointer {
            #expect(!RandomAccessPoint.isClean($0, rule: .hevcIRAP(.lengthPrefixed(bytes: 4))))
        }
        // A length running past the end stops the walk instead of reading beyond the packet.
        let cut: [UInt8] = [0, 0, 0, 9, 0x65, 0x88]
        cut.withUnsafeBufferPointer {
            #expect(RandomAccessPoint.nalHeaders($0, framing: .lengthPrefixed(bytes: 4)).isEmpty)
        }
    }
}

struct SegmentDecoderTests {
    static let modes: [Sampling] = [.all, .stride(3), .fps(2), .fps(7.5), .uniform(5), .segments(4)]

    /// Frames from two segment decoders equal those of the sequential decoder with the same two
    /// threads (frame threading; `allowSeeking: false` keeps it from splitting) and those of a
    /// single-threaded decoder, byte for byte, in every sampling mode. On damaged files only the
    /// frames chosen and their timestamps must agree: FFmpeg conceals damage differently with
    /// different threading (the ffmpeg CLI's `-threads 1` and `-threads 2` outputs of
    /// `corrupt_mid.ts` differ too), and a damaged picture that the decoder does not flag cannot be
    /// told from a clean one.
    static func expectSameFrames(
        _ path: String, _ label: String, damaged: Bool = false
    ) throws -> (
        jobs: Int, fallbacks: Int
    ) {
        var jobs = 0
        var fallbacks = 0
        for mode in modes {
            let small = Geometry.size(width: 40, height: 30)
            let split = try decode(
                path, FrameRequest(sampling: mode, geometry: small), options: DecodeOptions(threads: 2))
            var references = [
                try decode(
                    path, FrameRequest(sampling: mode, geometry: small, allowSeeking: false),
                    options: DecodeOptions(threads: 2))
            ]
            if !damaged {
                references.append(
                    try decode(path, FrameRequest(sampling: mode, geometry: small), options: DecodeOptions(threads: 1)))
            }
            for whole in references {
                #expect(whole.stats.segmentJobs == 0)
                #expect(split.indices == whole.indices, "\(label) \(mode)")
                #expect(split.timestamps == whole.timestamps, "\(label) \(mode)")
                #expect(split.frames.map(\.time) == whole.frames.map(\.time), "\(label) \(mode)")
                let same = damaged || split.bytes == whole.bytes
                #expect(same, "\(label) \(mode): \(byteDifference(split.bytes, whole.bytes))")
                #expect(split.stats.framesEmitted == whole.stats.framesEmitted)
            }
            jobs += split.stats.segmentJobs
            fallbacks += split.stats.segmentFallbacks
        }
        return (jobs, fallbacks)
    }

    @Test(arguments: ["h264.mp4", "long_gop.mp4", "vp9.webm", "audio_first.mp4", "rotate90.mp4"])
    func splitDecodingMatchesOneDecoder(clip: String) throws {
        let result = try Self.expectSameFrames(Oracle.fixture(clip), clip)
        // Each of these has several closed GOPs: the segment decoders must really have run.
        #expect(result.jobs > 0, "\(clip): never split")
        #expect(result.fallbacks == 0, "\(clip): fell back \(result.fallbacks) times")
    }

    /// hevc.mkv: x265's open GOPs (CRA keyframes with leading pictures); the TS files seek by
    /// estimate; size_change.ts changes resolution at a keyframe; vfr.mkv has irregular
    /// timestamps; mpeg4.avi is a codec that is never split; truncated.mp4 ends mid-GOP.
    @Test(arguments: ["hevc.mkv", "start3600.ts", "size_change.ts", "vfr.mkv", "mpeg4.avi", "truncated.mp4"])
    func awkwardFilesGiveTheSameFramesEitherWay(clip: String) throws {
        _ = try Self.expectSameFrames(Oracle.fixture(clip), clip)
    }

    @Test(arguments: ["corrupt_mid.ts"])
    func damagedFilesGiveTheSameFramesEitherWay(clip: String) throws {
        _ = try Self.expectSameFrames(Oracle.fixture(clip), clip, damaged: true)
    }

    @Test func aSegmentThatFailsItsChecksHandsOverToTheSequentialDecoder() throws {
        // corrupt_mid.ts has a clean keyframe every 10 frames, damaged packets from about frame 25
        // on, and an MPEG-TS container, which seeks by estimate: a segment that cannot be decoded
        // as checked hands over to the sequential decoder, which finishes the file from the first
        // frame not yet handed out. The frames before the damage are the same, byte for byte; the
        // damaged ones are concealed as the threading in use does it (see `expectSameFrames`).
        let path = Oracle.fixture("corrupt_mid.ts")
        let small = Geometry.size(width: 40, height: 30)
        let split = try decode(
            path, FrameRequest(sampling: .fps(12.5), geometry: small), options: DecodeOptions(threads: 2))
        let whole = try decode(
            path, FrameRequest(sampling: .fps(12.5), geometry: small, allowSeeking: false),
            options: DecodeOptions(threads: 2))
        #expect(split.stats.segmentJobs > 1 && split.stats.segmentFallbacks == 1, "\(split.stats)")
        #expect(split.indices == whole.indices && split.indices == Array(stride(from: 0, to: 75, by: 2)))
        let clean = split.indices.filter { $0 < 20 }.count * 40 * 30 * 3
        #expect(clean > 0)
        let same = split.bytes.prefix(clean) == whole.bytes.prefix(clean)
        #expect(same, "\(byteDifference(Array(split.bytes.prefix(clean)), Array(whole.bytes.prefix(clean))))")
    }

    @Test func openGOPsAreNotCut() throws {
        // x264's open GOPs: non-IDR keyframes whose leading B-frames reference the previous GOP.
        let dir = try TemporaryDirectory()
        let path = dir.path("open.mp4")
        _ = try Oracle.run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=96x64:rate=25:duration=4", "-c:v",
                "libx264", "-g", "20", "-bf", "3", "-x264-params", "open-gop=1:scenecut=0", "-pix_fmt", "yuv420p", path,
            ])
        let reader = try VideoReader(path: path, options: DecodeOptions(threads: 2))
        let timeline = try Timeline.scan(
            input: .file(path), streamIndex: reader.info.streamIndex, options: reader.options,
            watchdog: Watchdog(seconds: nil))
        // Only the first keyframe is an IDR, so there is nothing to cut.
        #expect(timeline.gopPlan == nil)
        _ = try Self.expectSameFrames(path, "open GOP")
    }
}
