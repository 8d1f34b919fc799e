// The caption tokeniser: what the standard COCO-caption evaluation does to plain text (Stanford
// PTBTokenizer 3.4.1 with `-preserveLines -lowerCase`, then pycocoevalcap dropping the tokens in
// its punctuation list), without Java. Lowercase; words keep inner hyphens, periods and slashes
// ("t-shirt", "3.5", "u.s.", "and/or") and digit-group commas ("1,000"); clitics split as the Penn
// Treebank does ("don't" → "do n't", "dog's" → "dog 's", "cannot" → "can not", "gonna" → "gon na");
// symbols ($ % & # @ …) stand alone; quotes, brackets and . , ; : ! ? - -- ... are dropped.
// `Tests/TextMetricsTests` compares it with PTBTokenizer's output on a committed fixture of tricky
// captions (scripts/fixtures/make-caption-metrics-fixtures); they differ on emoticons only (":)").

/// Tokenises captions for the metrics and the vocabulary.
public enum CaptionTokenizer {
    /// Names these rules in evaluation records; bumped whenever a caption's tokens can change.
    public static let version = "ptb-lowercase-v1"

    /// The tokens pycocoevalcap drops after PTBTokenizer (its `PUNCTUATIONS`).
    static let dropped: Set<String> = [
        "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";",
    ]

    /// The words of `text`.
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var text = finalSigma(text.lowercased())
        for (fraction, plain) in [("½", " 1/2 "), ("¼", " 1/4 "), ("¾", " 3/4 ")] {
            text = text.replacingOccurrences(of: fraction, with: plain)
        }
        for chunk in text.split(whereSeparator: \.isWhitespace) {
            // URLs and tag-like tokens ("<e>") stay whole, as PTBTokenizer keeps them.
            let whole = chunk.contains("://") || (chunk.first == "<" && chunk.last == ">" && chunk.count > 2)
            for token in whole ? [String(chunk)] : split(Array(chunk)) where !dropped.contains(token) {
                tokens.append(token)
            }
        }
        return tokens
    }

    /// `text` tokenised and joined by single spaces, as the metrics take it.
    public static func normalize(_ text: String) -> String {
        tokens(text).joined(separator: " ")
    }

    /// Splits one whitespace-free chunk into PTB tokens (punctuation still in).
    static func split(_ chars: [Character]) -> [String] {
        var tokens: [String] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let signed =
                c == "-" && i + 1 < chars.count && chars[i + 1].isNumber && (i == 0 || !isWordCharacter(chars[i - 1]))
            if isWordCharacter(c) || signed {
                var j = i + 1
                while j < chars.count {
                    if isWordCharacter(chars[j]) {
                        j += 1
                    } else if j + 1 < chars.count, joins(chars[j], before: chars[j + 1], after: chars[j - 1]) {
                        j += 2
                    } else {
                        break
                    }
                }
                // "c++" is one word.
                if j + 1 < chars.count, chars[j] == "+", chars[j + 1] == "+",
                    j + 2 == chars.count || !isWordCharacter(chars[j + 2])
                {
                    j += 2
                }
                // An abbreviation ("u.s.", "a.m.", "mr.") keeps its final period.
                if j < chars.count, chars[j] == ".", isAbbreviation(chars[i..<j]) { j += 1 }
                tokens += splitClitics(String(chars[i..<j]))
                i = j
            } else if c == "'" || c == "’" || c == "‘" {
                // A clitic at the chunk's start ("'s"), a year ("'90s"), "'n'", else a quote.
                let rest = String(chars[(i + 1)...].prefix { isWordCharacter($0) })
                if ["s", "re", "ve", "ll", "d", "m"].contains(rest) || rest.first?.isNumber == true {
                    tokens.append("'" + rest)
                    i += 1 + rest.count
                } else if rest == "n", i + 2 < chars.count, "'’".contains(chars[i + 2]) {
                    tokens.append("'n'")
                    i += 3
                } else {
                    tokens.append("'")
                    i += 1
                }
            } else {
                // Runs are one token: "--", "...", and "!?", "!!!" (which pycocoevalcap keeps).
                var j = i + 1
                if "-.".contains(c) {
                    while j < chars.count, chars[j] == c { j += 1 }
                } else if "!?".contains(c) {
                    while j < chars.count, "!?".contains(chars[j]) { j += 1 }
                }
                let run = String(chars[i..<j])
                // Characters PTBTokenizer cannot tokenise (emoji) are dropped.
                if c.unicodeScalars.first?.properties.isEmojiPresentation != true {
                    tokens.append(c == "." && run.count > 1 ? "..." : punctuation(run))
                }
                i = j
            }
        }
        return tokens
    }

    /// Greek σ at the end of a word becomes ς, as Java's lowercasing does (Swift's maps each
    /// character alone).
    static func finalSigma(_ text: String) -> String {
        guard text.contains("σ") else { return text }
        var chars = Array(text)
        for i in chars.indices where chars[i] == "σ" && i > 0 && chars[i - 1].isLetter {
            if i + 1 == chars.count || !chars[i + 1].isLetter { chars[i] = "ς" }
        }
        return String(chars)
    }

    static func isWordCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c.unicodeScalars.allSatisfy { $0.properties.generalCategory == .nonspacingMark }
    }

    /// Whether `c` joins the word characters around it into one token.
    static func joins(_ c: Character, before next: Character, after previous: Character) -> Bool {
        guard isWordCharacter(next) else { return false }
        switch c {
        case "-", "/", ".", "&", "_": return true
        case ",", ":": return previous.isNumber && next.isNumber
        case "'", "’": return true  // split again by `splitClitics`
        default: return false
        }
    }

    /// Single letters with periods ("u.s", "a.m", "e.g"), or a title before its period.
    static func isAbbreviation(_ word: ArraySlice<Character>) -> Bool {
        let text = String(word)
        if ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "prof", "inc", "co", "ltd"].contains(text) {
            return true
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 2 && parts.allSatisfy { $0.count == 1 && $0.first?.isLetter == true }
    }

    /// Penn Treebank clitics: "n't", "'s", "'re", "'ve", "'ll", "'d", "'m"; "cannot", "gonna",
    /// "gotta", "wanna" split in two.
    static func splitClitics(_ word: String) -> [String] {
        let word = word.replacingOccurrences(of: "’", with: "'")
        for (whole, parts) in [
            ("cannot", ["can", "not"]), ("y'all", ["y'", "all"]), ("gonna", ["gon", "na"]), ("gotta", ["got", "ta"]),
            ("wanna", ["wan", "na"]),
        ] where word == whole {
            return parts
        }
        if word.hasSuffix("n't"), word.count > 3 { return [String(word.dropLast(3)), "n't"] }
        for clitic in ["'s", "'re", "'ve", "'ll", "'d", "'m"] where word.hasSuffix(clitic) && word.count > clitic.count
        {
            return splitClitics(String(word.dropLast(clitic.count))) + [clitic]
        }
        return [word]
    }

    /// PTB's forms of brackets and quotes.
    static func punctuation(_ text: String) -> String {
        switch text {
        // Lowercased by -lowerCase, so pycocoevalcap's "-LRB-" entries never match them: kept.
        case "(": return "-lrb-"
        case ")": return "-rrb-"
        case "{": return "-lcb-"
        case "}": return "-rcb-"
        case "[": return "-lsb-"
        case "]": return "-rsb-"
        case "£": return "#"
        case "€": return "$"
        case "\"", "“": return "``"
        case "”": return "''"
        case "—", "–": return "--"
        case "…": return "..."
        default: return text
        }
    }
}
