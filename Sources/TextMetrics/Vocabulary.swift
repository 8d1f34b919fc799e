// The words a caption model knows: `<pad> <bos> <eos> <unk>` (ids 0–3), then every training word
// seen at least `minimumCount` times, most frequent first (ties by UTF-8 bytes), so the same
// captions always give the same ids. Saved in the model's metadata as its word list.

/// Word ↔ id mapping of a caption model.
public struct Vocabulary: Sendable, Equatable, Codable {
    public static let pad = 0
    public static let bos = 1
    public static let eos = 2
    public static let unk = 3
    public static let specials = ["<pad>", "<bos>", "<eos>", "<unk>"]

    /// Every word by id, the specials first.
    public let words: [String]
    private let ids: [String: Int]

    public init(words: [String]) {
        precondition(Array(words.prefix(4)) == Self.specials, "Vocabulary: the special words come first")
        self.words = words
        var ids: [String: Int] = [:]
        for (id, word) in words.enumerated() where ids[word] == nil { ids[word] = id }
        self.ids = ids
    }

    /// The vocabulary of tokenised `captions`: words seen at least `minimumCount` times.
    public init(captions: [[String]], minimumCount: Int) {
        var counts: [String: Int] = [:]
        for caption in captions { for word in caption { counts[word, default: 0] += 1 } }
        let kept = counts.filter { $0.value >= minimumCount && !Self.specials.contains($0.key) }
        let sorted = kept.sorted { a, b in
            a.value != b.value ? a.value > b.value : Array(a.key.utf8).lexicographicallyPrecedes(b.key.utf8)
        }
        self.init(words: Self.specials + sorted.map(\.key))
    }

    public var count: Int { words.count }

    public func id(of word: String) -> Int { ids[word] ?? Self.unk }

    /// Ids of `tokens`, cut to `maxLength` words, followed by `<eos>`.
    public func encode(_ tokens: [String], maxLength: Int) -> [Int] {
        tokens.prefix(maxLength).map(id(of:)) + [Self.eos]
    }

    /// The words of `ids` up to the first `<eos>`, without `<pad>`/`<bos>`.
    public func decode(_ ids: [Int]) -> [String] {
        var out: [String] = []
        for id in ids {
            if id == Self.eos { break }
            if id == Self.pad || id == Self.bos { continue }
            out.append(id >= 0 && id < words.count ? words[id] : Self.specials[Self.unk])
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case words }

    public init(from decoder: Decoder) throws {
        let words = try decoder.container(keyedBy: CodingKeys.self).decode([String].self, forKey: .words)
        guard Array(words.prefix(4)) == Self.specials else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [CodingKeys.words], debugDescription: "the first words must be \(Self.specials)"))
        }
        self.init(words: words)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(words, forKey: .words)
    }
}

/// How well a vocabulary covers a set of captions.
public struct VocabularyCoverage: Sendable, Equatable {
    /// Words that map to `<unk>`, over all words.
    public var unknownWords: Int
    public var words: Int
    /// Captions longer than the maximum length (cut).
    public var truncatedCaptions: Int
    public var captions: Int

    public var unknownRate: Double { words == 0 ? 0 : Double(unknownWords) / Double(words) }

    public init(_ vocabulary: Vocabulary, captions: [[String]], maxLength: Int) {
        unknownWords = captions.reduce(0) { total, caption in
            total + caption.prefix(maxLength).filter { vocabulary.id(of: $0) == Vocabulary.unk }.count
        }
        words = captions.reduce(0) { $0 + min($1.count, maxLength) }
        truncatedCaptions = captions.filter { $0.count > maxLength }.count
        self.captions = captions.count
    }
}
