// CIDEr-D as pycocoevalcap 1.2's `Cider` computes it (cider_scorer.py):
// - document frequency df(g): in how many videos' reference sets the n-gram g occurs (the idf is
//   over the evaluated set, so a video's score depends on the other videos in it);
// - a caption's vector per order n: tf(g) · (log(#videos) − log(max(1, df(g))));
// - per reference: Σ_g min(h_g, r_g) · r_g / (‖h‖·‖r‖) per order (the "-D" clipping; no division
//   when a norm is 0), times exp(−δ² / 2σ²) with σ = 6, where δ is the difference of the two
//   captions' *bigram* counts (pycocoevalcap counts "length" at n-gram index 1, i.e. bigrams —
//   word count − 1 for non-empty captions — and this keeps that);
// - a video's score: the mean over orders 1…4, averaged over its references, × 10; the corpus
//   score is the mean over videos.
import Foundation

/// Corpus and per-video CIDEr-D.
public enum CIDEr {
    public static let sigma = 6.0

    public static func score(
        _ pairs: [(hypothesis: String, references: [String])], maxOrder: Int = 4
    ) -> (
        corpus: Double, perVideo: [Double]
    ) {
        let references = pairs.map { $0.references.map { NGramCounts(words(of: $0), maxOrder: maxOrder) } }
        var documentFrequency: [NGram: Double] = [:]
        for set in references {
            var seen = Set<NGram>()
            for counts in set { seen.formUnion(counts.order) }
            for gram in seen { documentFrequency[gram, default: 0] += 1 }
        }
        let logVideos = log(Double(pairs.count))
        func vector(_ counts: NGramCounts) -> TFIDF {
            TFIDF(counts, maxOrder: maxOrder, logVideos: logVideos, documentFrequency: documentFrequency)
        }
        var scores: [Double] = []
        for (pair, referenceCounts) in zip(pairs, references) {
            let hypothesis = vector(NGramCounts(words(of: pair.hypothesis), maxOrder: maxOrder))
            var total = [Double](repeating: 0, count: maxOrder)
            for reference in referenceCounts {
                let similarity = hypothesis.similarity(to: vector(reference), sigma: sigma)
                for n in 0..<maxOrder { total[n] += similarity[n] }
            }
            scores.append(mean(total) / Double(referenceCounts.count) * 10)
        }
        return (mean(scores), scores)
    }
}

/// A caption's tf-idf vector per n-gram order, with its norms and bigram count.
private struct TFIDF {
    /// Per order: the n-grams in first-seen order and their weights.
    var grams: [[NGram]]
    var weights: [[NGram: Double]]
    var norms: [Double]
    var bigramCount: Int

    init(_ counts: NGramCounts, maxOrder: Int, logVideos: Double, documentFrequency: [NGram: Double]) {
        grams = Array(repeating: [], count: maxOrder)
        weights = Array(repeating: [:], count: maxOrder)
        var squares = [Double](repeating: 0, count: maxOrder)
        bigramCount = 0
        for gram in counts.order {
            let n = gram.count - 1
            let termFrequency = counts[gram]
            let weight = Double(termFrequency) * (logVideos - log(max(1, documentFrequency[gram] ?? 0)))
            grams[n].append(gram)
            weights[n][gram] = weight
            squares[n] += weight * weight
            if n == 1 { bigramCount += termFrequency }
        }
        norms = squares.map { $0.squareRoot() }
    }

    func similarity(to reference: TFIDF, sigma: Double) -> [Double] {
        let delta = Double(bigramCount - reference.bigramCount)
        let penalty = exp(-(delta * delta) / (2 * sigma * sigma))
        return grams.indices.map { n in
            var value = 0.0
            for gram in grams[n] {
                let referenceWeight = reference.weights[n][gram] ?? 0
                value += min(weights[n][gram] ?? 0, referenceWeight) * referenceWeight
            }
            if norms[n] != 0 && reference.norms[n] != 0 { value /= norms[n] * reference.norms[n] }
            return value * penalty
        }
    }
}
