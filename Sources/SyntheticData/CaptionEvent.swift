// The events and colours of the synthetic caption clips (`vidact dataset synth --captions N`), with
// the words of `TextMetrics.EventCaptionGrammar`, and the rules that say which event sequences a
// clip may show.
//
// Every clip has a partner: the same clip played backwards (`backwards`), the same pictures in
// reverse order, so a model that ignores frame order cannot tell the two apart. What the partner
// shows depends on the event family (a clip shows events of one family only):
//
// - One-way events (grows, shrinks, fades in/out, turns <colour>, spins, moves) change the object's
//   state (size, position, turn, opacity, colour), which carries over to the next event. Played
//   backwards, a clip shows the inverse events in the other order: "grows then moves left" ↔
//   "moves right then shrinks". (The same events in the other order, "moves left then grows", is
//   not such a partner: it shows a small object on the left where the first shows a large one on
//   the right, which a model of the frame set can use; the mean-pool caption baseline reached
//   73 % order accuracy on such pairs.)
// - Round-trip events (pulses, blinks, sways left/right, rocks clockwise/anticlockwise, flashes
//   <colour>) go out and come back, and each reads the same backwards, so the partner shows the
//   same events in the other order. They are harder to read from the CNN features: the state they
//   change is visible only mid-event.
//
// Rules for one-way events (every event must change something visible):
// - fades in only while invisible (the clip then starts invisible), fades out only while visible;
//   no other event while invisible (it could not be seen);
// - turns <colour> only to a colour the object does not have at that moment;
// - at most one of grows/shrinks, one spin and one move per clip;
// - no spin with grows or shrinks: a spinning object is drawn large, because the direction of a
//   medium one was not linearly readable from the CNN features (scripts/caption-event-probe: 73–87 %
//   at medium size, 100 % at large size).
// Rules for round-trip events: no event twice in a clip, no rock with a pulse (a rocking object is
// drawn large, as a spinning one), and a flash only to a colour other than the object's.
// A clip makes a pair (`pairable`) when it has two events or more and differs from itself played
// backwards ("fades in then fades out" does not).

import TextMetrics

/// A colour of the caption grammar's palette.
public enum CaptionColour: String, Sendable, Hashable, CaseIterable {
    case red, green, blue, yellow

    /// The grammar's word.
    public var name: String { rawValue }

    /// Position in `allCases`.
    var position: Int {
        guard let index = Self.allCases.firstIndex(of: self) else { preconditionFailure("allCases lacks \(self)") }
        return index
    }

    /// A saturated RGB value, far from the other three.
    public var rgb: RGBColor {
        switch self {
        case .red: return RGBColor(red: 0.92, green: 0.1, blue: 0.08)
        case .green: return RGBColor(red: 0.08, green: 0.78, blue: 0.12)
        case .blue: return RGBColor(red: 0.12, green: 0.28, blue: 0.98)
        case .yellow: return RGBColor(red: 0.98, green: 0.86, blue: 0.06)
        }
    }
}

extension ShapeKind {
    /// The grammar's word.
    public var name: String {
        switch self {
        case .circle: return "circle"
        case .square: return "square"
        case .triangle: return "triangle"
        }
    }
}

/// One event of a caption clip.
public enum CaptionEvent: Sendable, Hashable {
    case grows, shrinks
    case fadesIn, fadesOut
    case turns(CaptionColour)
    case spinsClockwise, spinsAnticlockwise
    case movesLeft, movesRight
    /// Round trips: grows and shrinks back, fades out and back in, moves to a side and back, turns
    /// and turns back, changes colour and back.
    case pulses, blinks
    case swaysLeft, swaysRight
    case rocksClockwise, rocksAnticlockwise
    case flashes(CaptionColour)

    /// The one-way events, in the grammar's order.
    public static let oneWay: [CaptionEvent] =
        [.grows, .shrinks, .fadesIn, .fadesOut, .spinsClockwise, .spinsAnticlockwise, .movesLeft, .movesRight]
        + CaptionColour.allCases.map { .turns($0) }

    /// The round-trip events, in the grammar's order.
    public static let roundTrips: [CaptionEvent] =
        [.pulses, .blinks, .swaysLeft, .swaysRight, .rocksClockwise, .rocksAnticlockwise]
        + CaptionColour.allCases.map { .flashes($0) }

    /// Every event, in the grammar's order.
    public static let all = oneWay + roundTrips

    /// The colour a `turns` or `flashes` event changes to (nil for the other events).
    public var colourChangeTarget: CaptionColour? {
        switch self {
        case .turns(let target), .flashes(let target): return target
        default: return nil
        }
    }

    /// Whether the event ends with the object as it started (see the top of the file).
    public var isRoundTrip: Bool {
        switch self {
        case .pulses, .blinks, .swaysLeft, .swaysRight, .rocksClockwise, .rocksAnticlockwise, .flashes: return true
        default: return false
        }
    }

    /// The grammar's phrase, e.g. `turns blue`.
    public var phrase: String {
        switch self {
        case .grows: return "grows"
        case .shrinks: return "shrinks"
        case .fadesIn: return "fades in"
        case .fadesOut: return "fades out"
        case .turns(let colour): return "turns \(colour.name)"
        case .spinsClockwise: return "spins clockwise"
        case .spinsAnticlockwise: return "spins anticlockwise"
        case .movesLeft: return "moves left"
        case .movesRight: return "moves right"
        case .pulses: return "pulses"
        case .blinks: return "blinks"
        case .swaysLeft: return "sways left"
        case .swaysRight: return "sways right"
        case .rocksClockwise: return "rocks clockwise"
        case .rocksAnticlockwise: return "rocks anticlockwise"
        case .flashes(let colour): return "flashes \(colour.name)"
        }
    }

    /// The event a phrase names, or nil.
    public init?(phrase: String) {
        guard let event = Self.all.first(where: { $0.phrase == phrase }) else { return nil }
        self = event
    }

    /// The phrase with `_` for spaces, for file names.
    public var slug: String { phrase.replacingOccurrences(of: " ", with: "_") }

    /// The state an event changes (or, for a round trip, changes and restores).
    enum Channel: Hashable { case size, opacity, colour, turn, position }

    var channel: Channel {
        switch self {
        case .grows, .shrinks, .pulses: return .size
        case .fadesIn, .fadesOut, .blinks: return .opacity
        case .turns, .flashes: return .colour
        case .spinsClockwise, .spinsAnticlockwise, .rocksClockwise, .rocksAnticlockwise: return .turn
        case .movesLeft, .movesRight, .swaysLeft, .swaysRight: return .position
        }
    }
}

extension CaptionEvent {
    /// Whether `events`, shown in this order by an object starting as `colour`, is a valid clip
    /// (the rules at the top of the file).
    public static func valid(_ events: [CaptionEvent], colour: CaptionColour) -> Bool {
        guard !events.isEmpty else { return false }
        // Both families: a turning object is drawn large, so nothing may change its size.
        if events.contains(where: { $0.channel == .turn }), events.contains(where: { $0.channel == .size }) {
            return false
        }
        let trips = events.filter(\.isRoundTrip).count
        if trips > 0 {
            guard trips == events.count, Set(events).count == events.count else { return false }
            return !events.contains(.flashes(colour))
        }
        for channel in [Channel.size, .turn, .position] where events.filter({ $0.channel == channel }).count > 1 {
            return false
        }
        var visible = events.first != .fadesIn
        var current = colour
        for event in events {
            switch event {
            case .fadesIn:
                guard !visible else { return false }
                visible = true
            case .fadesOut:
                guard visible else { return false }
                visible = false
            case .turns(let target):
                guard visible, target != current else { return false }
                current = target
            default:
                guard visible else { return false }
            }
        }
        return true
    }

    /// What a clip of `events` starting as `colour` shows when played backwards: the inverse
    /// events in reverse order, starting from the colour the clip ends in (for round trips, the
    /// same events in the other order). The grammar's `EventCaptionGrammar.backwards` decides, so
    /// the clips and the scores of their captions agree on what a partner is.
    public static func backwards(
        _ events: [CaptionEvent], colour: CaptionColour
    ) -> (
        events: [CaptionEvent], colour: CaptionColour
    ) {
        let back = EventCaptionGrammar.backwards(
            EventDescription(colour: colour.name, shape: "", events: events.map(\.phrase)))
        // Every event's phrase and every colour's name is the grammar's (a test checks), and the
        // inverse of a grammar phrase is one.
        guard let end = CaptionColour(rawValue: back.colour) else {
            preconditionFailure("CaptionEvent.backwards: '\(back.colour)' is not a colour")
        }
        return (
            back.events.map { phrase in
                guard let event = CaptionEvent(phrase: phrase) else {
                    preconditionFailure("CaptionEvent.backwards: '\(phrase)' is not an event")
                }
                return event
            }, end
        )
    }

    /// Whether a clip of `events` starting as `colour` can make a pair with the same clip played
    /// backwards: it is valid, has two events or more, and its backwards version differs from it.
    public static func pairable(_ events: [CaptionEvent], colour: CaptionColour) -> Bool {
        guard events.count >= 2, valid(events, colour: colour) else { return false }
        let back = backwards(events, colour: colour)
        return back.events != events || back.colour != colour
    }
}
