// Scores of captions on what they claim happened, for sets whose references are sentences of
// `EventCaptionGrammar` (the synthetic caption clips). n-gram metrics barely punish a wrong event
// order; these do. A video's truth is its first reference that parses; a hypothesis that does not
// parse counts as wrong on every slot. Pairs are the videos whose description played backwards
// (`EventCaptionGrammar.backwards`) is another video's in the set, as the synthetic set's partners
// are: for round-trip events the same events in the other order, for one-way events the inverse
// events in the other order. A model that ignores frame order cannot tell the two clips of such a
// pair apart: they show the same pictures.

/// Event-level accuracy of captions (fractions in [0, 1]).
public struct EventCaptionScores: Sendable, Equatable, Codable {
    /// Videos whose references parse (the others are left out of every figure here).
    public var videos: Int
    /// Hypotheses that parse.
    public var parsed: Double
    /// Colour, shape and every event in order.
    public var exactMatch: Double
    public var colour: Double
    public var shape: Double
    /// Per event position: event i right (over videos with at least i + 1 events).
    public var eventSlots: [Double]
    /// Videos in pairs (see the top of the file; the JSON keeps the name "swapped"), and the
    /// fraction whose events (in order) are right.
    public var swappedVideos: Int
    public var orderAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case videos, parsed, colour, shape
        case exactMatch = "exact_match"
        case eventSlots = "event_slots"
        case swappedVideos = "swapped_videos"
        case orderAccuracy = "order_accuracy"
    }

    /// nil when no video's references parse (not a synthetic caption set).
    public init?(_ pairs: [(hypothesis: String, references: [String])]) {
        let judged = pairs.compactMap { pair -> (truth: EventDescription, guess: EventDescription?)? in
            guard let truth = pair.references.lazy.compactMap(EventCaptionGrammar.parse).first else { return nil }
            return (truth, EventCaptionGrammar.parse(pair.hypothesis))
        }
        guard !judged.isEmpty else { return nil }
        let count = Double(judged.count)
        func fraction(_ test: (EventDescription, EventDescription?) -> Bool) -> Double {
            Double(judged.filter { test($0.truth, $0.guess) }.count) / count
        }
        videos = judged.count
        parsed = fraction { $1 != nil }
        exactMatch = fraction { $0 == $1 }
        colour = fraction { $0.colour == $1?.colour }
        shape = fraction { $0.shape == $1?.shape }
        let longest = judged.map(\.truth.events.count).max() ?? 0
        eventSlots = (0..<longest).map { slot in
            let eligible = judged.filter { $0.truth.events.count > slot }
            let right = eligible.filter {
                ($0.guess?.events.count ?? 0) > slot && $0.guess?.events[slot] == $0.truth.events[slot]
            }
            return Double(right.count) / Double(max(eligible.count, 1))
        }
        let truths = Set(judged.map(\.truth))
        let swapped = judged.filter {
            let back = EventCaptionGrammar.backwards($0.truth)
            return back != $0.truth && truths.contains(back)
        }
        swappedVideos = swapped.count
        orderAccuracy =
            swapped.isEmpty
            ? 0 : Double(swapped.filter { $0.guess?.events == $0.truth.events }.count) / Double(swapped.count)
    }
}
