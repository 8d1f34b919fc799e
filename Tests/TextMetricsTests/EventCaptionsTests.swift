// The synthetic caption grammar: every sentence parses back to its description (including the
// "B after it A" form, whose text order is the reverse of the event order), non-sentences do not,
// a description played backwards, and the event scores of a hand-made set with a pair.
import Testing

@testable import TextMetrics

@Suite struct EventCaptionsTests {
    @Test func everySentenceParsesBack() {
        let descriptions = [
            EventDescription(colour: "red", shape: "circle", events: ["grows", "fades out"]),
            EventDescription(colour: "blue", shape: "square", events: ["shrinks", "turns red"]),
            EventDescription(colour: "yellow", shape: "triangle", events: ["spins clockwise", "moves left", "grows"]),
        ]
        for description in descriptions {
            let sentences = EventCaptionGrammar.sentences(description)
            #expect(sentences.count == (description.events.count == 2 ? 4 : 3))
            for sentence in sentences {
                #expect(EventCaptionGrammar.parse(sentence) == description, "\(sentence)")
                #expect(CaptionTokenizer.normalize(sentence) == sentence)
            }
        }
        #expect(
            EventCaptionGrammar.parse("a blue square turns red after it shrinks")
                == EventDescription(colour: "blue", shape: "square", events: ["shrinks", "turns red"]))
    }

    @Test(arguments: [
        "", "a red circle", "a red circle grows", "a purple circle grows then shrinks", "a red circle grows then",
        "a red circle grows then dances", "a red circle grows shrinks",
        "a red circle grows then shrinks after it fades in",
    ])
    func nonSentencesDoNotParse(caption: String) {
        #expect(EventCaptionGrammar.parse(caption) == nil)
    }

    @Test func backwardsInvertsTheEventsReversesThemAndStartsFromTheLastColour() {
        let clip = EventDescription(colour: "red", shape: "circle", events: ["grows", "turns blue", "moves left"])
        let back = EventCaptionGrammar.backwards(clip)
        #expect(
            back == EventDescription(colour: "blue", shape: "circle", events: ["moves right", "turns red", "shrinks"]))
        #expect(EventCaptionGrammar.backwards(back) == clip)
        let trips = EventDescription(colour: "green", shape: "square", events: ["pulses", "sways left", "flashes red"])
        #expect(EventCaptionGrammar.backwards(trips).events == ["flashes red", "sways left", "pulses"])
        #expect(EventCaptionGrammar.backwards(trips).colour == "green")
    }

    @Test func scoresASetWithAPair() throws {
        // Videos 1 and 2 are a pair (video 2 is video 1 played backwards); video 3 is not in one,
        // though its events reversed (grows then moves left) are video 1's.
        let scores = try #require(
            EventCaptionScores([
                (hypothesis: "a red circle grows then moves left", references: ["a red circle grows then moves left"]),
                (
                    hypothesis: "a red circle grows then moves left",
                    references: ["a red circle shrinks after it moves right"]
                ),
                (hypothesis: "a blue square spins clockwise", references: ["a red circle moves left then grows"]),
            ]))
        #expect(scores.videos == 3)
        #expect(abs(scores.parsed - 2.0 / 3) < 1e-12)
        #expect(abs(scores.exactMatch - 1.0 / 3) < 1e-12)
        #expect(abs(scores.colour - 2.0 / 3) < 1e-12)
        #expect(scores.eventSlots.count == 2 && abs(scores.eventSlots[0] - 1.0 / 3) < 1e-12)
        #expect(scores.swappedVideos == 2)
        #expect(abs(scores.orderAccuracy - 0.5) < 1e-12)
        #expect(EventCaptionScores([(hypothesis: "x", references: ["a man cooks"])]) == nil)
    }
}
