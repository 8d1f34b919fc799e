// Caption clips: each event really changes the picture (and spins, moves, grows show their
// direction in the last picture; round trips at their peak, and come back), the state carries over
// between events, partners start from the same picture, a round-trip partner is the clip played
// backwards (rendered and decoded); a tiny written set has its clips (decoding to the planned frames and size),
// captions.csv readable as a caption dataset whose every caption parses back to its clip's
// events, captions_events.csv, a README, and the same bytes whatever the jobs.
import Datasets
import Foundation
import TensorCore
import TestSupport
import Testing
import TextMetrics
import VideoDecoding

@testable import SyntheticData

struct CaptionDatasetTests {
    init() { FFmpegLog.setLevel(.error) }

    static let (width, height) = (48, 36)

    static func scene(_ seed: UInt64, colour: CaptionColour = .red) -> CaptionScene {
        var rng = SeededRNG(seed: seed)
        return CaptionScene(shape: .triangle, colour: colour, rng: &rng)
    }

    static func difference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }

    @Test(arguments: CaptionEvent.all)
    func everyEventChangesThePicture(event: CaptionEvent) {
        let scene = Self.scene(7, colour: event == .turns(.red) || event == .flashes(.red) ? .blue : .red)
        let frames = scene.frames([event], framesPerEvent: 6, width: Self.width, height: Self.height)
        #expect(frames.count == 6)
        // A round trip changes the picture mid-event and ends where it started.
        let change = Self.difference(frames[0], frames[event.isRoundTrip ? 2 : 5])
        #expect(change > 4, "\(event.phrase): the frames differ by only \(change) per byte")
        if event.isRoundTrip { #expect(frames[0] == frames[5], "\(event.phrase) does not come back") }
    }

    @Test func roundTripPartnersAreTheClipPlayedBackwards() {
        let lists: [[CaptionEvent]] = [
            [.pulses, .swaysLeft], [.blinks, .rocksClockwise, .swaysRight], [.flashes(.green), .pulses, .blinks],
            [.rocksAnticlockwise, .flashes(.yellow)],
        ]
        for (seed, events) in lists.enumerated() {
            let scene = Self.scene(UInt64(20 + seed))
            #expect(CaptionEvent.pairable(events, colour: .red))
            for framesPerEvent in [5, 6] {
                let ahead = scene.frames(events, framesPerEvent: framesPerEvent, width: Self.width, height: Self.height)
                let back = scene.frames(
                    events.reversed(), framesPerEvent: framesPerEvent, width: Self.width, height: Self.height)
                let reversed = back == Array(ahead.reversed())
                #expect(reversed, "\(events.map(\.phrase)), \(framesPerEvent) frames an event")
                #expect(ahead != back)
            }
        }
    }

    /// One-way opposites end apart (last of 4 frames); round-trip opposites peak apart (frame 2
    /// of 5, where the peak is held).
    @Test(
        arguments: [
            (
                3, 4, 3,
                [
                    (CaptionEvent.spinsClockwise, CaptionEvent.spinsAnticlockwise), (.movesLeft, .movesRight),
                    (.grows, .shrinks), (.turns(.green), .turns(.blue)),
                ]
            ),
            (
                5, 5, 2,
                [
                    (CaptionEvent.rocksClockwise, CaptionEvent.rocksAnticlockwise), (.swaysLeft, .swaysRight),
                    (.pulses, .blinks), (.flashes(.green), .flashes(.blue)),
                ]
            ),
        ] as [(UInt64, Int, Int, [(CaptionEvent, CaptionEvent)])])
    func oppositeEventsShowDifferentPictures(
        seed: UInt64, framesPerEvent: Int, frame: Int, pairs: [(CaptionEvent, CaptionEvent)]
    ) {
        let scene = Self.scene(seed)
        let picture = { (event: CaptionEvent) in
            scene.frames([event], framesPerEvent: framesPerEvent, width: Self.width, height: Self.height)[frame]
        }
        for (a, b) in pairs {
            let change = Self.difference(picture(a), picture(b))
            #expect(change > 4, "\(a.phrase) and \(b.phrase) are only \(change) per byte apart at frame \(frame)")
        }
    }

    @Test func theStateCarriesOverAndPartnersStartAlike() {
        let scene = Self.scene(11)
        let events: [CaptionEvent] = [.grows, .turns(.blue), .movesRight]
        let states = scene.states(events)
        #expect(states.count == 4)
        #expect(states[1].radius == states[3].radius && states[1].radius > 2 * states[0].radius)
        #expect(states[3].colour == CaptionColour.blue.rgb && states[3].x > states[2].x)
        let ahead = scene.frames(events, framesPerEvent: 5, width: Self.width, height: Self.height)
        let back = scene.frames(events.reversed(), framesPerEvent: 5, width: Self.width, height: Self.height)
        #expect(ahead.count == 15 && back.count == 15)
        let sameStart = ahead[0] == back[0]
        let sameEnd = ahead[14] == back[14]
        #expect(sameStart && sameEnd, "partners start or end apart")
        let middle = Self.difference(ahead[7], back[7])
        #expect(middle > 4, "partners differ by only \(middle) per byte mid-clip")
        // Each event boundary is held for one frame (the object's state), and the event changes it.
        #expect(scene.states([.fadesIn, .fadesOut])[0].alpha == 0)
        #expect(scene.states([.fadesOut, .fadesIn])[0].alpha == 1)
    }

    @Test func writesATinySetWhoseCaptionsParseBackToTheEvents() throws {
        let root = try TemporaryDirectory.make("captions")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let settings = CaptionDatasetSettings(
            directory: root, clips: 4, width: 32, height: 24, framesPerEvent: 3, fps: 10, seed: 6)
        let plan = CaptionDatasetPlan(settings)
        let summary = try CaptionDataset.write(plan, jobs: 2)
        #expect(summary.clips == 4 && summary.codec == "libx264")
        #expect(summary.frames == plan.clips.reduce(0) { $0 + 3 * $1.events.count })
        for clip in plan.clips {
            let frames = try decodedFrames(root + "/" + clip.path)
            #expect(frames.count == 3 * clip.events.count, "\(clip.path): \(frames.count) frames")
            #expect(frames.allSatisfy { $0.width == 32 && $0.height == 24 })
        }
        let table = try CaptionTable.load(path: root + "/captions.csv", splits: true)
        let clipOf = Dictionary(uniqueKeysWithValues: plan.clips.map { (root + "/" + $0.path, $0) })
        #expect(table.rows.count == summary.captions)
        #expect(table.rows.count == plan.clips.reduce(0) { $0 + ($1.events.count == 2 ? 4 : 3) })
        for row in table.rows {
            let clip = try #require(clipOf[row.path], "\(row.video) is not a planned clip")
            #expect(row.split?.rawValue == clip.split.rawValue)
            #expect(EventCaptionGrammar.parse(row.caption) == clip.description, "\(row.video): \(row.caption)")
        }
        #expect(Set(table.rows.map(\.path)).count == 4)
        let events = try String(contentsOfFile: root + "/captions_events.csv", encoding: .utf8)
            .split(separator: "\n")
        #expect(events.first == "video,split,colour,shape,events" && events.count == 5)
        let first = plan.clips[0]
        #expect(
            events[1]
                == "\(first.path),\(first.split.rawValue),\(first.colour.name),\(first.shape.name),"
                + first.events.map(\.phrase).joined(separator: ";"))
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        #expect(readme.contains("--captions 4 --size 32x24 --event-frames 3 --fps 10 --seed 6"))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root)
        #expect(!leftovers.contains { $0.contains(".tmp-") } && !leftovers.contains("clips"), "\(leftovers)")
    }

    @Test func theSameSeedWritesIdenticalBytesWhateverTheJobs() throws {
        let (first, second) = (try TemporaryDirectory.make("captions"), try TemporaryDirectory.make("captions"))
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        var settings = CaptionDatasetSettings(directory: first, clips: 4, width: 32, height: 24, framesPerEvent: 2)
        let plan = CaptionDatasetPlan(settings)
        try CaptionDataset.write(plan, jobs: 1)
        settings.directory = second
        try CaptionDataset.write(CaptionDatasetPlan(settings), jobs: 3)
        let files = CaptionDataset.indexFiles(plan).map(\.0) + plan.clips.map(\.path)
        #expect(files.count == 3 + 4)
        for file in files {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + file))
            let same = !a.isEmpty && a == b
            #expect(same, "\(file): \(a.count) vs \(b.count) bytes")
        }
    }

    @Test(arguments: [CaptionEvent.roundTrips, CaptionEvent.oneWay])
    func aPairDecodesToTheSamePicturesInReverseOrder(events: [CaptionEvent]) throws {
        let root = try TemporaryDirectory.make("captions-pair")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let settings = CaptionDatasetSettings(
            directory: root, clips: 2, width: 32, height: 24, framesPerEvent: 4, seed: 3, events: events)
        let plan = CaptionDatasetPlan(settings)
        try CaptionDataset.write(plan)
        let ahead = try decodedFrames(root + "/" + plan.clips[0].path).map(\.pixels)
        let back = try decodedFrames(root + "/" + plan.clips[1].path).map(\.pixels)
        #expect(plan.clips[1].playedBackwards && plan.clips[1].rendered.events == plan.clips[0].events)
        #expect(ahead.count == 4 * plan.clips[0].events.count)
        let reversed = back == Array(ahead.reversed())
        #expect(reversed, "the partner's decoded frames are not the clip's in reverse order")
    }

    @Test func writesTheProbeSet() throws {
        let root = try TemporaryDirectory.make("captions-probe")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let settings = CaptionDatasetSettings(
            directory: root, clips: 0, width: 32, height: 24, framesPerEvent: 2, events: [.grows, .turns(.blue)])
        let plan = CaptionDatasetPlan.probe(settings, perEvent: 3)
        let summary = try CaptionDataset.write(plan, probe: true)
        #expect(summary.clips == 6 && summary.captions == 0)
        let index = try String(contentsOfFile: root + "/captions_probe.csv", encoding: .utf8).split(separator: "\n")
        #expect(index.first == "video,split,event" && index.count == 7)
        #expect(index[1] == "probe/grows_000.mp4,train,grows" && index[6] == "probe/turns_blue_002.mp4,test,turns blue")
        for clip in plan.clips { #expect(FileManager.default.fileExists(atPath: root + "/" + clip.path)) }
        #expect(!FileManager.default.fileExists(atPath: root + "/captions.csv"))
    }

    func decodedFrames(_ path: String) throws -> [RGBFrame] {
        let reader = try VideoReader(path: path).frames()
        var frames: [RGBFrame] = []
        while let frame = try reader.next() { frames.append(frame) }
        return frames
    }
}
