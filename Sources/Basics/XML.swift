// Escaping of text for XML, HTML and SVG, in elements and in quoted attributes alike.

/// XML/HTML text escaping.
public enum XML {
    /// `text` with `& < > " '` replaced by character references (`&#39;` for the apostrophe,
    /// which HTML 4 lacks as a named entity).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
