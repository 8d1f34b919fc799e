// What `vidact dataset synth --captions N` will write, computed without rendering anything: every
// caption clip's path, split, object (shape, starting colour), events and scene seed. Pure and
// deterministic for a seed.
//
// Clips come in pairs: clip 2k shows pair k's drawn events, clip 2k + 1 is the same clip played
// backwards (`CaptionEvent.backwards`: the inverse events in reverse order, from the colour clip 2k
// ends in; for round trips, the same events in the other order), with the same scene seed (same
// object, texture, background) and in the same split. Per pair: a shape uniformly, a colour
// uniformly among those some pair of the enabled events suits (all four unless only colour changes
// are enabled); two or three events (even odds), event kinds drawn uniformly (turns and flashes
// each counting as one kind, the colour then drawn) until the list is `CaptionEvent.pairable` and
// its partner shows enabled events only (`pairable(_:colour:within:)`; after 2048 failed draws of
// three, two; after 4096, a uniform choice among the pairable two-event lists).
// Splits are by pair: 20 % test and 10 % val (each at least one pair from 3 pairs on; with 2 pairs,
// one is test), the rest train, in a seeded random order.
//
// The probe set (`--captions-probe M`) is M single-event clips per event, each with its own scene,
// the first M − ⌊M/3⌋ train and the rest test: `scripts/caption-event-probe` trains a linear probe
// on the first and reports per-event accuracy on the second.

import TensorCore
import TextMetrics

/// Options of a caption dataset.
public struct CaptionDatasetSettings: Sendable, Equatable {
    /// Output folder.
    public var directory: String
    /// Number of caption clips (even: they come in pairs).
    public var clips: Int
    public var width: Int
    public var height: Int
    /// Frames each event takes.
    public var framesPerEvent: Int
    public var fps: Int
    public var seed: UInt64
    /// The events clips may show.
    public var events: [CaptionEvent]

    public init(
        directory: String, clips: Int, width: Int = 160, height: Int = 120, framesPerEvent: Int = 12, fps: Int = 10,
        seed: UInt64 = 0, events: [CaptionEvent] = CaptionDatasetPlan.defaultEvents
    ) {
        self.directory = directory
        self.clips = clips
        self.width = width
        self.height = height
        self.framesPerEvent = framesPerEvent
        self.fps = fps
        self.seed = seed
        self.events = events
    }
}

/// One planned caption clip.
public struct PlannedCaptionClip: Sendable, Equatable {
    /// Path relative to the dataset folder, e.g. `captions/007.mp4`.
    public var path: String
    public var split: DatasetSplit
    /// The pair's number; the partner is the other clip of the same pair.
    public var pair: Int
    public var shape: ShapeKind
    public var colour: CaptionColour
    public var events: [CaptionEvent]
    /// Seed of the pair's `CaptionScene`.
    public var sceneSeed: UInt64
    /// Whether the clip is its pair's first clip played backwards (its frames are that clip's in
    /// reverse order).
    public var playedBackwards: Bool = false

    /// The events and starting colour of the clip that is rendered: this one's, or for a clip
    /// played backwards, its partner's.
    public var rendered: (events: [CaptionEvent], colour: CaptionColour) {
        playedBackwards ? CaptionEvent.backwards(events, colour: colour) : (events, colour)
    }

    /// What the clip shows, in the caption grammar's words.
    public var description: EventDescription {
        EventDescription(colour: colour.name, shape: shape.name, events: events.map(\.phrase))
    }

    /// Every sentence the grammar writes for the clip (4 for two events, 3 for three).
    public var captions: [String] { EventCaptionGrammar.sentences(description) }

    /// The scene `rendered` is drawn in.
    public var scene: CaptionScene {
        var rng = SeededRNG(seed: sceneSeed)
        return CaptionScene(shape: shape, colour: rendered.colour, rng: &rng)
    }
}

/// Every clip of a caption dataset (or of the probe set).
public struct CaptionDatasetPlan: Sendable, Equatable {
    /// The events `--captions` uses unless told otherwise: every one-way event, all of which a
    /// linear probe on EfficientNet-Lite0 features read at ≥ 90 % (`scripts/caption-event-probe`,
    /// 30 train and 15 test clips an event, seed 11: 93–100 % each, 97.8 % overall). Round trips
    /// are not in it: rocks and flashes read at 67–93 %, and caption models trained on 224 round-trip
    /// clips read their events near chance (README, "dataset synth --captions").
    public static let defaultEvents = CaptionEvent.oneWay

    public var settings: CaptionDatasetSettings
    /// Pair by pair, the drawn order first.
    public var clips: [PlannedCaptionClip]

    /// The caption dataset of `settings` (`settings.clips` must be even and `settings.events` must
    /// allow a pair: `allowsPairs`).
    public init(_ settings: CaptionDatasetSettings) {
        precondition(
            settings.clips >= 2 && settings.clips % 2 == 0, "CaptionDatasetPlan: \(settings.clips) clips is not even")
        precondition(Self.allowsPairs(settings.events), "CaptionDatasetPlan: the events allow no pair")
        self.settings = settings
        let pairs = settings.clips / 2
        let splits = Self.pairSplits(count: pairs, seed: SyntheticDatasetPlan.derive(settings.seed, 4100, 0))
        // Starting colours that some two-event list suits (all four unless only colour changes are on).
        let fallbacks = CaptionColour.allCases.map { Self.pairableTwoEventLists(settings.events, colour: $0) }
        let colours = CaptionColour.allCases.filter { !fallbacks[$0.position].isEmpty }
        clips = []
        for pair in 0..<pairs {
            var rng = SeededRNG(seed: SyntheticDatasetPlan.derive(settings.seed, 4000, UInt64(pair)))
            let shape = ShapeKind.allCases[Int(rng.next() % UInt64(ShapeKind.allCases.count))]
            let colour = colours[Int(rng.next() % UInt64(colours.count))]
            let sceneSeed = rng.next()
            let candidates = fallbacks[colour.position]
            let events =
                Self.drawEvents(settings.events, colour: colour, rng: &rng)
                ?? candidates[Int(rng.next() % UInt64(candidates.count))]
            let back = CaptionEvent.backwards(events, colour: colour)
            for (offset, clip) in [(events, colour), back].enumerated() {
                clips.append(
                    PlannedCaptionClip(
                        path: "captions/\(SyntheticDatasetPlan.number(2 * pair + offset)).mp4", split: splits[pair],
                        pair: pair, shape: shape, colour: clip.1, events: clip.0, sceneSeed: sceneSeed,
                        playedBackwards: offset == 1))
            }
        }
    }

    private init(settings: CaptionDatasetSettings, clips: [PlannedCaptionClip]) {
        self.settings = settings
        self.clips = clips
    }

    /// The probe set: `perEvent` single-event clips for each of `settings.events` (`settings.clips`
    /// is not used), `probe/<event>_<nnn>.mp4`, the last ⌊perEvent/3⌋ of each event in test.
    public static func probe(_ settings: CaptionDatasetSettings, perEvent: Int) -> CaptionDatasetPlan {
        precondition(perEvent >= 2, "CaptionDatasetPlan.probe: \(perEvent) clips per event")
        var clips: [PlannedCaptionClip] = []
        for event in settings.events {
            let stream = 5000 + UInt64(CaptionEvent.all.firstIndex(of: event) ?? 0)
            for index in 0..<perEvent {
                var rng = SeededRNG(seed: SyntheticDatasetPlan.derive(settings.seed, stream, UInt64(index)))
                let shape = ShapeKind.allCases[Int(rng.next() % UInt64(ShapeKind.allCases.count))]
                var colours = CaptionColour.allCases
                if let target = event.colourChangeTarget { colours.removeAll { $0 == target } }
                let colour = colours[Int(rng.next() % UInt64(colours.count))]
                clips.append(
                    PlannedCaptionClip(
                        path: "probe/\(event.slug)_\(SyntheticDatasetPlan.number(index)).mp4",
                        split: index < perEvent - perEvent / 3 ? .train : .test, pair: clips.count, shape: shape,
                        colour: colour, events: [event], sceneSeed: rng.next()))
            }
        }
        return CaptionDatasetPlan(settings: settings, clips: clips)
    }

    /// Whether some two-event list of `events` is pairable (within `events`) for some starting colour.
    public static func allowsPairs(_ events: [CaptionEvent]) -> Bool {
        CaptionColour.allCases.contains { !pairableTwoEventLists(events, colour: $0).isEmpty }
    }

    /// Every pairable two-event list of `events` for an object starting as `colour`.
    static func pairableTwoEventLists(_ events: [CaptionEvent], colour: CaptionColour) -> [[CaptionEvent]] {
        events.flatMap { a in events.map { b in [a, b] } }.filter { pairable($0, colour: colour, within: events) }
    }

    /// Whether `events` makes a pair whose partner (the clip played backwards) shows only events
    /// of `enabled`: with grows enabled but not shrinks, no clip grows.
    static func pairable(_ events: [CaptionEvent], colour: CaptionColour, within enabled: [CaptionEvent]) -> Bool {
        CaptionEvent.pairable(events, colour: colour)
            && CaptionEvent.backwards(events, colour: colour).events.allSatisfy(enabled.contains)
    }

    /// A pairable list of two or three of `enabled` for an object starting as `colour`, or nil
    /// when a few thousand draws found none.
    static func drawEvents(_ enabled: [CaptionEvent], colour: CaptionColour, rng: inout SeededRNG) -> [CaptionEvent]? {
        let count = 2 + Int(rng.next() % 2)
        let turnTargets = CaptionColour.allCases.filter { enabled.contains(.turns($0)) }
        let flashTargets = CaptionColour.allCases.filter { enabled.contains(.flashes($0)) }
        // One kind per event that is not a colour change, `.turns(colour)` standing for "turns <a
        // drawn colour>" and `.flashes(colour)` for "flashes <a drawn colour>".
        var kinds = enabled.filter { $0.channel != .colour }
        if !turnTargets.isEmpty { kinds.append(.turns(colour)) }
        if !flashTargets.isEmpty { kinds.append(.flashes(colour)) }
        guard !kinds.isEmpty else { return nil }
        func draw(_ kind: CaptionEvent) -> CaptionEvent {
            switch kind {
            case .turns: return .turns(turnTargets[Int(rng.next() % UInt64(turnTargets.count))])
            case .flashes: return .flashes(flashTargets[Int(rng.next() % UInt64(flashTargets.count))])
            default: return kind
            }
        }
        for attempt in 0..<4096 {
            let length = attempt < 2048 ? count : 2
            let events = (0..<length).map { _ in draw(kinds[Int(rng.next() % UInt64(kinds.count))]) }
            if pairable(events, colour: colour, within: enabled) { return events }
        }
        return nil
    }

    /// Train/val/test per pair: test round(20 %), val round(10 %), each at least 1 from 3 pairs on
    /// (with 2 pairs: one test), the rest train, in a seeded random order.
    static func pairSplits(count: Int, seed: UInt64) -> [DatasetSplit] {
        var rng = SeededRNG(seed: seed)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let test = count >= 2 ? max(1, Int((Double(count) * 0.2).rounded())) : 0
        let val = count >= 3 ? max(1, Int((Double(count) * 0.1).rounded())) : 0
        var splits = [DatasetSplit](repeating: .train, count: count)
        for (rank, item) in order.enumerated() {
            if rank < test {
                splits[item] = .test
            } else if rank < test + val {
                splits[item] = .val
            }
        }
        return splits
    }
}
