// N-gram counts of a tokenised caption, as pycocoevalcap's `precook` builds them: words split on
// whitespace, then for k = 1…n every k-gram counted. The counts keep pycocoevalcap's insertion
// order (k ascending, then position), because CIDEr-D sums over them in that order and floating
// point sums depend on it.

/// One n-gram: its words.
typealias NGram = [Substring]

/// The counts of every 1…n-gram of one caption, in first-seen order.
struct NGramCounts {
    private(set) var order: [NGram] = []
    private(set) var counts: [NGram: Int] = [:]

    init(_ words: [Substring], maxOrder: Int) {
        for k in 1...maxOrder where words.count >= k {
            for start in 0...(words.count - k) {
                let gram = Array(words[start..<(start + k)])
                if let count = counts[gram] {
                    counts[gram] = count + 1
                } else {
                    counts[gram] = 1
                    order.append(gram)
                }
            }
        }
    }

    subscript(gram: NGram) -> Int { counts[gram] ?? 0 }
}

/// Python's `str.split()` on a tokenised caption: words between runs of whitespace.
func words(of caption: String) -> [Substring] {
    caption.split(whereSeparator: \.isWhitespace)
}
