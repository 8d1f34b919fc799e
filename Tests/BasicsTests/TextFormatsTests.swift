// The text helpers of Basics against independent readers: CSV rows as Python's csv module reads
// them, shell words as bash reads them, escaped text as Foundation's XMLParser reads it, and
// canonical JSON with sorted keys and unescaped slashes.
import Basics
import Foundation
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

struct TextFormatsTests {
    static let awkward = ["plain", "a,b", "say \"hi\"", " padded ", "tab\tin", "", "it's", "new\nline", "ünï"]

    @Test func csvRowsReadBackWithPythonsCSVModule() throws {
        let rows = [Self.awkward, ["x", "y"]]
        let text = rows.map(CSV.row).joined(separator: "\r\n") + "\r\n"
        let script =
            "import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline='')))))"
        let folder = try TemporaryDirectory()
        let input = folder.path("rows.csv")
        try text.write(toFile: input, atomically: false, encoding: .utf8)
        let result = try runProcess("bash", ["-c", "python3 -c \"$0\" < \"$1\"", script, input])
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
        #expect(parsed == rows)
    }

    @Test func csvFieldsFollowOneRuleSet() throws {
        #expect(try CSV.fields(of: #"a,"b,c","say ""hi""",,d"#) == ["a", "b,c", #"say "hi""#, "", "d"])
        #expect(try CSV.fields(of: #"  "q" , x "#) == ["q", " x "])
        #expect(try CSV.fields(of: #"  "q" , x "#, trimUnquoted: true) == ["q", "x"])
        #expect(throws: CSV.ParseError.unterminatedQuote) { try CSV.fields(of: #"a,"b"#) }
        #expect(throws: CSV.ParseError.textAfterClosingQuote(field: 2)) { try CSV.fields(of: #"a,"b"c"#) }
        for field in Self.awkward where !field.contains("\n") {
            #expect(try CSV.fields(of: CSV.field(field)) == [field], "\(field)")
        }
    }

    @Test func shellQuotedWordsReachBashUnchanged() throws {
        for word in Self.awkward + ["$HOME", "`id`", "a b", "'''", "*", "-n"] {
            let result = try runProcess("bash", ["-c", "printf %s " + Shell.quote(word)])
            #expect(result.status == 0 && result.stdout == word, "\(word) came back as \(result.stdout)")
        }
    }

    @Test func xmlEscapedTextParsesBackInElementsAndAttributes() throws {
        let text = #"a<b & "c" 'd' > e"#
        #expect(XML.escape(text) == "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt; e")
        let document = "<r a=\"\(XML.escape(text))\" b='\(XML.escape(text))'>\(XML.escape(text))</r>"
        let collector = Collector()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.attributes == ["a": text, "b": text] && collector.text == text)
    }

    @Test func canonicalJSONSortsKeysAndKeepsSlashes() throws {
        struct Value: Encodable {
            var zeta = 1
            var alpha = "a/b"
        }
        #expect(CanonicalJSON.string(of: Value()) == #"{"alpha":"a/b","zeta":1}"#)
        let object = try CanonicalJSON.data(object: ["b": 2, "a": ["/x"]])
        #expect(String(decoding: object, as: UTF8.self) == #"{"a":["/x"],"b":2}"#)
    }
}

final class Collector: NSObject, XMLParserDelegate {
    var attributes: [String: String] = [:]
    var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        attributes = attributeDict
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
