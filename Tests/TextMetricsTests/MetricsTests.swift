// Hand-worked BLEU, ROUGE-L and CIDEr-D cases, with the arithmetic in the comments.
import Foundation
import Testing

@testable import TextMetrics

@Suite struct MetricsTests {
    @Test func bleuClipsRepeatedWords() {
        // "the the the the" against "the cat": 4 unigrams, "the" counted at most once → 1/4; no
        // bigram matches. c = 4 > r = 2, no brevity penalty.
        let (corpus, _) = BLEU.score([(hypothesis: "the the the the", references: ["the cat"])])
        #expect(abs(corpus[0] - (1 + 1e-15) / (4 + 1e-9)) < 1e-12)
        #expect(corpus[1] < 1e-6)
    }

    @Test func bleuClosestLengthTiesToTheShorterReference() {
        // Hypothesis of 5 words; references of 4 and 6: both 1 away, the shorter (4) is taken, so
        // c ≥ r and there is no brevity penalty: the identical unigrams give BLEU-1 = 5/5 → 1.
        let counts = BLEUCounts(
            hypothesis: "a b c d e", references: ["a b c d", "a b c d e f"], maxOrder: 4)
        #expect(counts.referenceLength == 4)
        #expect(abs(counts.scores[0] - 1) < 1e-9)
    }

    @Test func bleuBrevityPenalty() {
        // "a b" against "a b c d": precisions 1, r/c = 2 → penalty exp(1 − 2) = e⁻¹.
        let (corpus, _) = BLEU.score([(hypothesis: "a b", references: ["a b c d"])])
        #expect(abs(corpus[0] - exp(-1)) < 1e-9)
        #expect(abs(corpus[1] - exp(-1)) < 1e-9)
    }

    @Test func rougeLTakesBestPrecisionAndRecallSeparately() {
        // Candidate "a b c d"; ref1 "a b" (LCS 2: P 2/4, R 2/2), ref2 "a x c x d x x x" (LCS 3:
        // P 3/4, R 3/8). P = 3/4, R = 1: F = 2.44 · 0.75 / (1 + 1.44 · 0.75) = 1.83 / 2.08.
        let score = ROUGE.score(hypothesis: "a b c d", references: ["a b", "a x c x d x x x"])
        #expect(abs(score - 1.83 / 2.08) < 1e-12)
        #expect(ROUGE.score(hypothesis: "", references: ["a b"]) == 0)
        #expect(ROUGE.longestCommonSubsequence(["a", "b", "c"], ["b", "c", "a"]) == 2)
    }

    @Test func ciderIsZeroWhenEveryNGramOccursEverywhere() {
        // One video: idf = log(1) − log(1) = 0 for every n-gram, so every vector is zero.
        let (corpus, _) = CIDEr.score([(hypothesis: "a dog runs", references: ["a dog runs"])])
        #expect(corpus == 0)
    }

    @Test func ciderOfAnExactMatchAmongDistinctVideos() {
        // Two videos with disjoint words: every n-gram has df 1, idf = log 2, the hypothesis equals
        // its only reference: cosine 1 per order, δ = 0 → 10 · mean(1, 1, 1, 1) = 10 (orders with
        // n-grams in both; "x y z" has 3 orders, the 4th is 0/…: no division, 0).
        let (_, perVideo) = CIDEr.score([
            (hypothesis: "a b c d", references: ["a b c d"]), (hypothesis: "x y z", references: ["x y z"]),
        ])
        #expect(abs(perVideo[0] - 10) < 1e-12)
        #expect(abs(perVideo[1] - 7.5) < 1e-12)
    }

    @Test func ciderLengthPenaltyCountsBigrams() {
        // δ is the difference of bigram counts: "a" (0 bigrams) vs "" (0 bigrams) → no penalty
        // term from length; an empty hypothesis still scores 0 (no n-grams).
        let (_, perVideo) = CIDEr.score([
            (hypothesis: "", references: ["a"]), (hypothesis: "b c", references: ["b c"]),
        ])
        #expect(perVideo[0] == 0)
        #expect(perVideo[1] > 0)
    }
}
