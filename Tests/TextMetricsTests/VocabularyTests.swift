// The caption vocabulary: specials first, frequency order with byte-order ties, minimum count,
// encoding with truncation and <eos>, decoding, coverage figures and its JSON form.
import Foundation
import Testing

@testable import TextMetrics

@Suite struct VocabularyTests {
    let captions = [["a", "dog", "runs"], ["a", "cat", "runs"], ["a", "dog", "sits", "down", "now"]]

    @Test func ordersByCountThenBytes() {
        let vocabulary = Vocabulary(captions: captions, minimumCount: 1)
        #expect(vocabulary.words == Vocabulary.specials + ["a", "dog", "runs", "cat", "down", "now", "sits"])
        let frequent = Vocabulary(captions: captions, minimumCount: 2)
        #expect(frequent.words == Vocabulary.specials + ["a", "dog", "runs"])
        #expect(frequent.id(of: "cat") == Vocabulary.unk)
    }

    @Test func encodesAndDecodes() {
        let vocabulary = Vocabulary(captions: captions, minimumCount: 2)
        let ids = vocabulary.encode(["a", "dog", "sits", "down"], maxLength: 3)
        #expect(ids == [4, 5, Vocabulary.unk, Vocabulary.eos])
        #expect(vocabulary.decode([Vocabulary.bos] + ids + [4]) == ["a", "dog", "<unk>"])
    }

    @Test func coverage() {
        let vocabulary = Vocabulary(captions: captions, minimumCount: 2)
        let coverage = VocabularyCoverage(vocabulary, captions: captions, maxLength: 4)
        // Words counted up to 4 per caption: 3 + 3 + 4 = 10; unknown: cat, sits, down = 3.
        #expect(coverage.words == 10)
        #expect(coverage.unknownWords == 3)
        #expect(coverage.truncatedCaptions == 1)
        #expect(abs(coverage.unknownRate - 0.3) < 1e-12)
    }

    @Test func jsonRoundTripAndRejectsAMissingSpecial() throws {
        let vocabulary = Vocabulary(captions: captions, minimumCount: 1)
        let data = try JSONEncoder().encode(vocabulary)
        #expect(try JSONDecoder().decode(Vocabulary.self, from: data) == vocabulary)
        let bad = Data(#"{"words":["<pad>","a"]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Vocabulary.self, from: bad) }
    }
}
