// ROUGE-L as pycocoevalcap 1.2's `Rouge` computes it (rouge.py): per video, the longest common
// subsequence of the hypothesis with each reference (words split on single spaces, as its
// `split(" ")` does, so an empty hypothesis is one empty word); precision and recall are each
// maximised over the references separately, then F = (1 + β²)·P·R / (R + β²·P) with β = 1.2
// (0 when either is 0). The corpus score is the mean over videos.

/// Corpus and per-video ROUGE-L.
public enum ROUGE {
    public static let beta = 1.2

    public static func score(
        _ pairs: [(hypothesis: String, references: [String])]
    ) -> (
        corpus: Double, perVideo: [Double]
    ) {
        let scores = pairs.map { score(hypothesis: $0.hypothesis, references: $0.references) }
        return (mean(scores), scores)
    }

    /// One video's ROUGE-L.
    public static func score(hypothesis: String, references: [String]) -> Double {
        let candidate = spaceSplit(hypothesis)
        var precision = 0.0
        var recall = 0.0
        for reference in references {
            let tokens = spaceSplit(reference)
            let lcs = Double(longestCommonSubsequence(tokens, candidate))
            precision = max(precision, lcs / Double(candidate.count))
            recall = max(recall, lcs / Double(tokens.count))
        }
        guard precision != 0, recall != 0 else { return 0 }
        let b2 = beta * beta
        return ((1 + b2) * precision * recall) / (recall + b2 * precision)
    }

    static func spaceSplit(_ text: String) -> [Substring] {
        text.split(separator: " ", omittingEmptySubsequences: false)
    }

    /// Length of the longest common subsequence of two word lists.
    static func longestCommonSubsequence(_ a: [Substring], _ b: [Substring]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for i in 1...a.count {
            for j in 1...b.count {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : max(previous[j], current[j - 1])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// The arithmetic mean (0 for none).
func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}
