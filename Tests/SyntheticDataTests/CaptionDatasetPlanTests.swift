// The caption plan: the same seed plans the same clips; every clip has its partner (same object,
// scene and split: the clip played backwards); splits are by pair with val and test present; the
// event rules (fades, colour changes, one event per size/turn/position); the events and words
// are the grammar's; the probe plan.
import Testing
import TextMetrics

@testable import SyntheticData

struct CaptionDatasetPlanTests {
    static func plan(clips: Int, seed: UInt64, events: [CaptionEvent] = CaptionEvent.all) -> CaptionDatasetPlan {
        CaptionDatasetPlan(CaptionDatasetSettings(directory: "d", clips: clips, seed: seed, events: events))
    }

    @Test func theSameSeedPlansTheSameClipsAndAnotherSeedOtherOnes() {
        let (a, b, c) = (Self.plan(clips: 40, seed: 4), Self.plan(clips: 40, seed: 4), Self.plan(clips: 40, seed: 5))
        #expect(a == b)
        #expect(a.clips.map(\.events) != c.clips.map(\.events))
        #expect(a.clips.map(\.path).prefix(3) == ["captions/000.mp4", "captions/001.mp4", "captions/002.mp4"])
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyClipHasItsPartnerWithTheEventsReversedInTheSameSplit(seed: UInt64) {
        let plan = Self.plan(clips: 200, seed: seed)
        #expect(plan.clips.count == 200)
        for pair in 0..<100 {
            let (a, b) = (plan.clips[2 * pair], plan.clips[2 * pair + 1])
            #expect(a.pair == pair && b.pair == pair)
            let back = CaptionEvent.backwards(a.events, colour: a.colour)
            #expect(b.events == back.events && b.colour == back.colour, "pair \(pair): \(a.events)")
            #expect(b.playedBackwards && !a.playedBackwards && b.rendered.events == a.events)
            #expect(a.events != b.events || a.colour != b.colour)
            #expect(a.split == b.split && a.sceneSeed == b.sceneSeed && a.shape == b.shape)
            #expect((2...3).contains(a.events.count))
            #expect(CaptionEvent.valid(a.events, colour: a.colour) && CaptionEvent.valid(b.events, colour: b.colour))
        }
        let pairs = stride(from: 0, to: 200, by: 2).map { plan.clips[$0] }
        let counts = DatasetSplit.allCases.map { split in pairs.filter { $0.split == split }.count }
        #expect(counts == [70, 10, 20], "train/val/test pairs \(counts)")
        // Every event, colour and shape occurs, and both lengths.
        for event in CaptionEvent.all {
            #expect(plan.clips.contains { $0.events.contains(event) }, "\(event.phrase) never occurs")
        }
        #expect(Set(plan.clips.map(\.colour)).count == 4 && Set(plan.clips.map(\.shape)).count == 3)
        #expect(Set(plan.clips.map(\.events.count)) == [2, 3])
        #expect(Set(pairs.map(\.sceneSeed)).count == 100, "scene seeds repeat across pairs")
    }

    @Test func fewPairsStillHaveTestAndValWhenTheyCan() {
        func splits(_ clips: Int) -> [DatasetSplit] {
            Self.plan(clips: clips, seed: 1).clips.map(\.split)
        }
        #expect(splits(2) == [.train, .train])
        #expect(splits(4).filter { $0 == .test }.count == 2 && splits(4).filter { $0 == .train }.count == 2)
        for clips in [6, 10, 20] {
            let s = splits(clips)
            #expect(s.contains(.train) && s.contains(.val) && s.contains(.test), "\(clips) clips: \(s)")
        }
    }

    @Test func theRulesKeepEveryEventVisibleAndBothOrdersValid() {
        #expect(CaptionEvent.valid([.grows, .fadesIn], colour: .red) == false)
        #expect(CaptionEvent.valid([.fadesIn, .grows], colour: .red))
        #expect(CaptionEvent.pairable([.fadesIn, .grows], colour: .red))
        #expect(CaptionEvent.backwards([.fadesIn, .grows], colour: .red).events == [.shrinks, .fadesOut])
        #expect(CaptionEvent.valid([.grows, .fadesOut], colour: .red))
        // A clip that reads the same backwards has no partner.
        #expect(CaptionEvent.pairable([.fadesIn, .fadesOut], colour: .red) == false)
        #expect(CaptionEvent.pairable([.fadesOut, .fadesIn], colour: .red) == false)
        #expect(CaptionEvent.valid([.fadesOut, .grows], colour: .red) == false)
        #expect(CaptionEvent.valid([.grows, .shrinks], colour: .red) == false)
        #expect(CaptionEvent.valid([.movesLeft, .grows, .movesRight], colour: .red) == false)
        #expect(CaptionEvent.valid([.spinsClockwise, .spinsAnticlockwise], colour: .red) == false)
        #expect(CaptionEvent.valid([.turns(.red), .grows], colour: .red) == false)
        #expect(CaptionEvent.pairable([.turns(.blue), .turns(.green)], colour: .red))
        #expect(
            CaptionEvent.backwards([.turns(.blue), .turns(.green)], colour: .red) == (
                [.turns(.blue), .turns(.red)], .green
            ))
        #expect(CaptionEvent.pairable([.turns(.blue), .turns(.red)], colour: .red) == false)
        #expect(CaptionEvent.pairable([.turns(.blue), .grows, .turns(.blue)], colour: .yellow) == false)
        #expect(CaptionEvent.pairable([.turns(.red), .spinsClockwise, .movesLeft], colour: .green))
        #expect(CaptionEvent.valid([.grows, .spinsClockwise], colour: .green) == false)
        #expect(CaptionEvent.valid([.spinsAnticlockwise, .shrinks], colour: .green) == false)
    }

    @Test func roundTripsDoNotMixRepeatRockWithPulsesOrFlashToTheirColour() {
        #expect(CaptionEvent.pairable([.pulses, .swaysLeft], colour: .red))
        #expect(CaptionEvent.pairable([.swaysLeft, .swaysRight, .blinks], colour: .red))
        #expect(CaptionEvent.valid([.pulses, .grows], colour: .red) == false)
        #expect(CaptionEvent.valid([.movesLeft, .blinks], colour: .red) == false)
        #expect(CaptionEvent.valid([.pulses, .blinks, .pulses], colour: .red) == false)
        #expect(CaptionEvent.valid([.rocksClockwise, .pulses], colour: .red) == false)
        #expect(CaptionEvent.valid([.flashes(.red), .blinks], colour: .red) == false)
        #expect(CaptionEvent.pairable([.flashes(.blue), .flashes(.green)], colour: .red))
        let plan = Self.plan(clips: 80, seed: 3, events: CaptionEvent.roundTrips)
        for clip in plan.clips {
            #expect(clip.events.allSatisfy(\.isRoundTrip) && CaptionEvent.valid(clip.events, colour: clip.colour))
        }
        #expect(Set(plan.clips.map(\.events.count)) == [2, 3])
    }

    @Test func aRestrictedEventSetIsHonoured() {
        let events: [CaptionEvent] = [.grows, .shrinks, .movesLeft, .movesRight, .turns(.blue), .turns(.green)]
        let plan = Self.plan(clips: 60, seed: 2, events: events)
        for clip in plan.clips {
            #expect(clip.events.allSatisfy(events.contains), "\(clip.events)")
            #expect(CaptionEvent.valid(clip.events, colour: clip.colour))
        }
        #expect(CaptionDatasetPlan.allowsPairs([.grows, .shrinks]) == false)
        // A clip's partner shows the inverse events, so an event set without them has no pair.
        #expect(CaptionDatasetPlan.allowsPairs([.grows, .movesLeft]) == false)
        #expect(CaptionDatasetPlan.allowsPairs([.grows, .movesLeft, .shrinks, .movesRight]))
        #expect(CaptionDatasetPlan.allowsPairs([.fadesIn, .fadesOut]) == false)
        let fades = Self.plan(clips: 8, seed: 2, events: [.fadesIn, .fadesOut, .grows, .shrinks])
        for clip in fades.clips {
            #expect(clip.events.contains { $0.channel == .opacity }, "\(clip.events)")
            #expect(clip.events.contains { $0.channel == .size }, "\(clip.events)")
        }
    }

    @Test func eventsColoursAndShapesAreTheGrammars() {
        #expect(CaptionEvent.all.map(\.phrase) == EventCaptionGrammar.events)
        #expect(CaptionColour.allCases.map(\.name) == EventCaptionGrammar.colours)
        #expect(ShapeKind.allCases.map(\.name) == EventCaptionGrammar.shapes)
        for event in CaptionEvent.all { #expect(CaptionEvent(phrase: event.phrase) == event) }
        #expect(CaptionEvent(phrase: "dances") == nil)
    }

    @Test func theProbePlanHasEveryEventInTrainAndTest() {
        let settings = CaptionDatasetSettings(directory: "d", clips: 0, seed: 3, events: CaptionEvent.all)
        let plan = CaptionDatasetPlan.probe(settings, perEvent: 9)
        #expect(plan == CaptionDatasetPlan.probe(settings, perEvent: 9))
        #expect(plan.clips.count == 9 * CaptionEvent.all.count)
        for event in CaptionEvent.all {
            let clips = plan.clips.filter { $0.events == [event] }
            #expect(clips.map(\.split) == Array(repeating: .train, count: 6) + Array(repeating: .test, count: 3))
            #expect(clips.first?.path == "probe/\(event.slug)_000.mp4")
            #expect(clips.allSatisfy { CaptionEvent.valid($0.events, colour: $0.colour) })
        }
        #expect(Set(plan.clips.map(\.sceneSeed)).count == plan.clips.count)
    }
}
