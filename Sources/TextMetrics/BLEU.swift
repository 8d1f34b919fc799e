// BLEU-1…4 as pycocoevalcap 1.2's `Bleu(4)` computes it (bleu_scorer.py, option "closest"):
// - per video: the clipped n-gram matches (each hypothesis n-gram counts at most as often as in the
//   reference that has it most), the hypothesis n-gram counts, and the reference length closest to
//   the hypothesis length (ties to the shorter reference);
// - corpus: matches, counts and lengths summed over videos, then
//   BLEU-k = (∏_{i≤k} (correct_i + 1e-15) / (guess_i + 1e-9))^(1/k), times the brevity penalty
//   exp(1 − r/c) when c < r, with c and r as (c + 1e-15) / (r + 1e-9).
// Per-video scores are the same formula on one video's counts. The epsilons are pycocoevalcap's:
// they make an empty hypothesis score 0 instead of failing.
import Foundation

/// BLEU's sufficient statistics for one video.
struct BLEUCounts {
    var hypothesisLength: Int
    var referenceLength: Int
    var guess: [Int]
    var correct: [Int]

    init(hypothesis: String, references: [String], maxOrder: Int) {
        let hypothesisWords = words(of: hypothesis)
        let hypothesisCounts = NGramCounts(hypothesisWords, maxOrder: maxOrder)
        var maxCounts: [NGram: Int] = [:]
        var lengths: [Int] = []
        for reference in references {
            let referenceWords = words(of: reference)
            lengths.append(referenceWords.count)
            let counts = NGramCounts(referenceWords, maxOrder: maxOrder)
            for (gram, count) in counts.counts { maxCounts[gram] = max(maxCounts[gram] ?? 0, count) }
        }
        let length = hypothesisWords.count
        hypothesisLength = length
        // Python's min over (|l − c|, l) tuples: the closest length, the shorter one on a tie.
        referenceLength = lengths.min { (abs($0 - length), $0) < (abs($1 - length), $1) } ?? 0
        guess = (1...maxOrder).map { max(0, length - $0 + 1) }
        correct = [Int](repeating: 0, count: maxOrder)
        for (gram, count) in hypothesisCounts.counts {
            correct[gram.count - 1] += min(maxCounts[gram] ?? 0, count)
        }
    }

    /// BLEU-1…n of these counts.
    static func scores(
        hypothesisLength: Int, referenceLength: Int, guess: [Int], correct: [Int]
    ) -> [Double] {
        let (small, tiny) = (1e-9, 1e-15)
        var product = 1.0
        var scores: [Double] = []
        for k in guess.indices {
            product *= (Double(correct[k]) + tiny) / (Double(guess[k]) + small)
            scores.append(pow(product, 1 / Double(k + 1)))
        }
        let ratio = (Double(hypothesisLength) + tiny) / (Double(referenceLength) + small)
        if ratio < 1 {
            let penalty = exp(1 - 1 / ratio)
            scores = scores.map { $0 * penalty }
        }
        return scores
    }

    var scores: [Double] {
        Self.scores(
            hypothesisLength: hypothesisLength, referenceLength: referenceLength, guess: guess, correct: correct)
    }
}

/// Corpus and per-video BLEU-1…`maxOrder`.
public enum BLEU {
    /// `pairs`: (hypothesis, references) per video, tokenised. Returns the corpus BLEU-1…n and
    /// each video's.
    public static func score(
        _ pairs: [(hypothesis: String, references: [String])], maxOrder: Int = 4
    ) -> (corpus: [Double], perVideo: [[Double]]) {
        let counts = pairs.map { BLEUCounts(hypothesis: $0.hypothesis, references: $0.references, maxOrder: maxOrder) }
        var guess = [Int](repeating: 0, count: maxOrder)
        var correct = [Int](repeating: 0, count: maxOrder)
        for video in counts {
            for k in 0..<maxOrder {
                guess[k] += video.guess[k]
                correct[k] += video.correct[k]
            }
        }
        let corpus = BLEUCounts.scores(
            hypothesisLength: counts.reduce(0) { $0 + $1.hypothesisLength },
            referenceLength: counts.reduce(0) { $0 + $1.referenceLength }, guess: guess, correct: correct)
        return (corpus, counts.map(\.scores))
    }
}
