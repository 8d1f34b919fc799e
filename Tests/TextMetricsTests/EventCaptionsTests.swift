// The synthetic caption grammar: every sentence parses back to its description (including the
// "B after it A" form, whose text order is the reverse of the event order), non-sentences do not,
// and the event scores of a hand-made set.
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

    @Test func scoresASetWithASwappedPair() throws {
        // Videos 1 and 2 are a swapped pair (grows/shrinks and shrinks/grows); video 3 is not.
        let scores = try #require(
            EventCaptionScores([
                (hypothesis: "a red circle grows then shrinks", references: ["a red circle grows then shrinks"]),
                (hypothesis: "a red circle grows then shrinks", references: ["a red circle grows after it shrinks"]),
                (hypothesis: "a blue square spins clockwise", references: ["a blue square moves left then turns red"]),
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
