// The events and colours of the synthetic caption clips (`vidact dataset synth --captions N`), with
// the words of `TextMetrics.EventCaptionGrammar`, and the rules that say which event sequences a
// clip may show. An object's state (size, position, turn, opacity, colour) carries over from one
// event to the next, so a sequence is valid when every event changes something visible:
//
// - fades in only while invisible (the clip then starts invisible), fades out only while visible;
//   no other event while invisible (it could not be seen);
// - turns <colour> only to a colour the object does not have at that moment;
// - at most one of grows/shrinks, one spin and one move per clip: two opposite events on the same
//   state (grows then shrinks) would make the partner clip (shrinks then grows) visit other sizes,
//   so the pair could be told apart without frame order; two colour changes visit the same
//   colours in either order and are allowed;
// - no spin with grows or shrinks: a spinning object is drawn large, because the direction of a
//   medium one was not linearly readable from the CNN features (scripts/caption-event-probe: 73–87 %
//   at medium size, 100 % at large size);
// - a clip's reversed event list must be valid too (`pairable`), and must differ from it.
//
// So a fade is only in the two-event pair "fades in then fades out" / "fades out then fades in".

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

    /// Every event, in the grammar's order.
    public static let all: [CaptionEvent] =
        [.grows, .shrinks, .fadesIn, .fadesOut, .spinsClockwise, .spinsAnticlockwise, .movesLeft, .movesRight]
        + CaptionColour.allCases.map { .turns($0) }

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
        }
    }

    /// The event a phrase names, or nil.
    public init?(phrase: String) {
        guard let event = Self.all.first(where: { $0.phrase == phrase }) else { return nil }
        self = event
    }

    /// The phrase with `_` for spaces, for file names.
    public var slug: String { phrase.replacingOccurrences(of: " ", with: "_") }

    /// The state an event changes; a clip has at most one event of each, colour and opacity apart,
    /// and not both a size and a turn event.
    enum Channel: Hashable { case size, opacity, colour, turn, position }

    var channel: Channel {
        switch self {
        case .grows, .shrinks: return .size
        case .fadesIn, .fadesOut: return .opacity
        case .turns: return .colour
        case .spinsClockwise, .spinsAnticlockwise: return .turn
        case .movesLeft, .movesRight: return .position
        }
    }
}

extension CaptionEvent {
    /// Whether `events`, shown in this order by an object starting as `colour`, is a valid clip
    /// (the rules at the top of the file).
    public static func valid(_ events: [CaptionEvent], colour: CaptionColour) -> Bool {
        guard !events.isEmpty else { return false }
        for channel in [Channel.size, .turn, .position] where events.filter({ $0.channel == channel }).count > 1 {
            return false
        }
        if events.contains(where: { $0.channel == .turn }), events.contains(where: { $0.channel == .size }) {
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

    /// Whether `events` and its reverse are both valid and differ, so they can make a pair.
    public static func pairable(_ events: [CaptionEvent], colour: CaptionColour) -> Bool {
        events.count >= 2 && events != events.reversed() && valid(events, colour: colour)
            && valid(events.reversed(), colour: colour)
    }
}
