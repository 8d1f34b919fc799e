// The small grammar of vidact's synthetic caption clips (`vidact dataset synth --captions N`): an
// object (colour, shape) doing two or three events in sequence, written several ways, and parsed
// back into its event list so a model's captions can be scored on what they claim happened:
// exact match, per slot (object, colour, each event) and order. Lowercase, no punctuation, so the
// tokeniser leaves every sentence as written.
//
//   two events A, B:  a {colour} {shape} {A} then {B}
//                     a {colour} {shape} {A} and then {B}
//                     first a {colour} {shape} {A} then it {B}
//                     a {colour} {shape} {B} after it {A}        (text order ≠ event order)
//   three events:     a {colour} {shape} {A} then {B} then {C}
//                     a {colour} {shape} {A} and then {B} and then {C}
//                     first a {colour} {shape} {A} then it {B} and finally it {C}
//
// Events: grows, shrinks, fades in, fades out, turns {colour}, spins clockwise, spins anticlockwise,
// moves left, moves right; and the round trips pulses, blinks, sways left, sways right, rocks
// clockwise, rocks anticlockwise, flashes {colour}. No phrase is a prefix of another.

/// What a synthetic caption says: an object and its events in the order they happen.
public struct EventDescription: Sendable, Hashable, Codable {
    public var colour: String
    public var shape: String
    /// Event phrases in order, e.g. ["grows", "turns blue"].
    public var events: [String]

    public init(colour: String, shape: String, events: [String]) {
        self.colour = colour
        self.shape = shape
        self.events = events
    }
}

public enum EventCaptionGrammar {
    public static let colours = ["red", "green", "blue", "yellow"]
    public static let shapes = ["circle", "square", "triangle"]
    /// Every event phrase (colour changes for each colour).
    public static let events =
        [
            "grows", "shrinks", "fades in", "fades out", "spins clockwise", "spins anticlockwise", "moves left",
            "moves right",
        ]
        + colours.map { "turns \($0)" }
        + ["pulses", "blinks", "sways left", "sways right", "rocks clockwise", "rocks anticlockwise"]
        + colours.map { "flashes \($0)" }

    /// Every way the grammar writes `description` (2 or 3 events), in a fixed order.
    public static func sentences(_ description: EventDescription) -> [String] {
        let object = "a \(description.colour) \(description.shape)"
        let e = description.events
        precondition(e.count == 2 || e.count == 3, "EventCaptionGrammar: 2 or 3 events")
        if e.count == 2 {
            return [
                "\(object) \(e[0]) then \(e[1])", "\(object) \(e[0]) and then \(e[1])",
                "first \(object) \(e[0]) then it \(e[1])", "\(object) \(e[1]) after it \(e[0])",
            ]
        }
        return [
            "\(object) \(e[0]) then \(e[1]) then \(e[2])", "\(object) \(e[0]) and then \(e[1]) and then \(e[2])",
            "first \(object) \(e[0]) then it \(e[1]) and finally it \(e[2])",
        ]
    }

    /// What `description` shows played backwards: the inverse events (grows ↔ shrinks, fades in ↔
    /// fades out, spins and moves the other way, turns back to the colour before; a round trip is
    /// its own inverse) in reverse order, from the colour the clip ends in. A phrase the grammar
    /// does not know is kept as it is.
    public static func backwards(_ description: EventDescription) -> EventDescription {
        let opposites = [
            "grows": "shrinks", "shrinks": "grows", "fades in": "fades out", "fades out": "fades in",
            "spins clockwise": "spins anticlockwise", "spins anticlockwise": "spins clockwise",
            "moves left": "moves right", "moves right": "moves left",
        ]
        var colour = description.colour
        var inverses: [String] = []
        for event in description.events {
            if event.hasPrefix("turns ") {
                inverses.append("turns \(colour)")
                colour = String(event.dropFirst("turns ".count))
            } else {
                inverses.append(opposites[event] ?? event)
            }
        }
        return EventDescription(colour: colour, shape: description.shape, events: inverses.reversed())
    }

    /// The description a caption states, or nil when it is not a sentence of the grammar.
    public static func parse(_ caption: String) -> EventDescription? {
        var words = CaptionTokenizer.tokens(caption)[...]
        if words.first == "first" { words = words.dropFirst() }
        guard words.count >= 3, words.first == "a", let colour = words.dropFirst().first,
            colours.contains(colour), let shape = words.dropFirst(2).first, shapes.contains(shape)
        else { return nil }
        words = words.dropFirst(3)
        var events: [String] = []
        var after = false
        var expectEvent = true
        while !words.isEmpty {
            if expectEvent {
                guard let event = event(matching: words) else { return nil }
                events.append(event)
                words = words.dropFirst(event.split(separator: " ").count)
                expectEvent = false
                continue
            }
            // A connector: "then", "and then", "then it", "and finally it", "after it".
            let connectors: [[String]] = [
                ["and", "finally", "it"], ["and", "then"], ["then", "it"], ["then"], ["after", "it"],
            ]
            guard let connector = connectors.first(where: { words.starts(with: $0) }) else { return nil }
            if connector.first == "after" {
                guard events.count == 1 else { return nil }
                after = true
            }
            words = words.dropFirst(connector.count)
            expectEvent = true
        }
        guard !expectEvent, events.count >= 2, !(after && events.count != 2) else { return nil }
        return EventDescription(colour: colour, shape: shape, events: after ? events.reversed() : events)
    }

    private static func event(matching words: ArraySlice<String>) -> String? {
        events.first { words.starts(with: $0.split(separator: " ").map(String.init)) }
    }
}
