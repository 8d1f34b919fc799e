// The activation ranges of an int8 network, measured once on real pictures (`vidact calibrate`)
// and stored as a small JSON file: per channel, the largest |value| and the mean at the output of
// every convolution before the head (stem; per MBConv block expand, depthwise, project — the
// project's including the residual), and the mean of the input, over the calibration pictures.
// The ranges set the activation scales; the means correct each layer's bias for the average
// error its rounded weights make (bias correction, Nagel et al. 2019). `EfficientNetLite0Int8` turns them into scales. The
// input of EfficientNet-Lite0, (x − 127) / 128, needs none: it is exactly the s8 value x − 127.
//
// The file is versioned and carries the SHA-256 of its own content (`checksum`, over the canonical
// JSON of every other field); `identity` is that checksum, and is part of the extractor key, so
// features made with other scales never share a cache entry.
import Basics
import Crypto
import Foundation

public struct Int8Calibration: Codable, Sendable, Equatable {
    public static let formatVersion = 1

    public var version: Int
    public var backbone: Backbone
    /// The statistic of `channelRanges`: "max" (the largest |value| seen).
    public var statistic: String
    /// How many pictures were run.
    public var pictures: Int
    /// What they were (folders, counts), for people.
    public var source: String
    /// Per convolution before the head, in network order, per output channel, the largest |value|.
    public var channelRanges: [[Float]]
    /// Per channel, the mean of the input and then of each of those outputs.
    public var channelMeans: [[Float]]
    /// SHA-256 of the canonical JSON of the fields above, hex.
    public var checksum: String

    public init(backbone: Backbone, pictures: Int, source: String, statistics: ChannelStatistics) {
        version = Self.formatVersion
        self.backbone = backbone
        statistic = "max"
        self.pictures = pictures
        self.source = source
        channelRanges = Array(statistics.largest.dropFirst())
        channelMeans = statistics.means
        checksum = ""
        checksum = contentHash
    }

    /// The identity of the scales, in the extractor key: their checksum, and for EfficientNet-Lite0
    /// "+r6u8" (its ReLU6 outputs quantised to 8 bits over the whole [0, 6],
    /// `Int8Scheme.reluScales`; features of earlier schemes had no suffix or "+u8"), then, without
    /// VNNI, "w7u8stem": its project convolutions have 7-bit weights (`Int8Scheme.projectWeightLevels`)
    /// and its stem reads u8 (`Int8WidenedStem`; "w7" alone was the earlier s8 stem, at 7 bits), so
    /// the features differ from those of a machine with VNNI.
    public var identity: String {
        guard backbone == .efficientnetLite0 else { return checksum }
        return checksum + (Int8Scheme.stemInput == .s8 ? "+r6u8" : "+r6u8w7u8stem")
    }

    private var contentHash: String {
        var copy = self
        copy.checksum = ""
        return Self.hexSHA256(Data(CanonicalJSON.string(of: copy).utf8))
    }

    /// The SHA-256 of `data` as 64 lower-case hex digits, as `checksum` holds it.
    private static func hexSHA256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads and checks a calibration file: format version, checksum, backbone and block count.
    public static func load(path: String, backbone: Backbone) throws -> Int8Calibration {
        func fail(_ detail: String) -> ClassifierError { ClassifierError(path: path, detail: detail) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("cannot be read; make one with `vidact calibrate` or use the default in models/")
        }
        let calibration = try parsed.value(for: data) { try parse(data, fail: fail) }
        guard calibration.backbone == backbone else {
            throw fail("is for \(calibration.backbone.rawValue), not \(backbone.rawValue)")
        }
        let widths = backbone.resNetSpec.map(ResNetInt8Scheme.calibratedWidths) ?? Int8Scheme.calibratedWidths
        let layers = widths.count
        guard calibration.channelRanges.map(\.count) == widths,
            calibration.channelMeans.map(\.count) == [3] + widths,
            calibration.channelRanges.allSatisfy({ $0.allSatisfy { $0.isFinite && $0 >= 0 } }),
            calibration.channelMeans.allSatisfy({ $0.allSatisfy(\.isFinite) })
        else {
            throw fail(
                "has ranges for \(calibration.channelRanges.count) layers, expected \(layers) with "
                    + "\(widths.reduce(0, +)) channels in all, none negative")
        }
        return calibration
    }

    /// Files read and checked by this process, by the SHA-256 of their bytes. `features extract`
    /// and the pipeline read the file once for the extractor key and again to build the network;
    /// decoding and checking its 24,000 numbers took 30 ms each time (now 16 ms once, then 0.2 ms).
    private static let parsed = ParsedFiles()

    /// The calibration in `data` after its format version and checksum are checked.
    private static func parse(_ data: Data, fail: (String) -> ClassifierError) throws -> Int8Calibration {
        let calibration: Int8Calibration
        do {
            calibration = try JSONDecoder().decode(Int8Calibration.self, from: data)
        } catch {
            throw fail("is not an int8 calibration file (\(error)); make one with `vidact calibrate`")
        }
        guard calibration.version == formatVersion else {
            throw fail("has format version \(calibration.version); this vidact reads \(formatVersion): calibrate again")
        }
        guard
            checksumOfWrittenFile(data, claimed: calibration.checksum)
                || calibration.checksum == calibration.contentHash
        else {
            throw fail("is damaged or was edited (its checksum does not match its content): calibrate again")
        }
        return calibration
    }

    /// Whether `data` is a file as `write` makes it with checksum `claimed`: its bytes, with the
    /// checksum's value emptied and the final newline dropped, hash to `claimed`. That is the
    /// canonical JSON `contentHash` would encode again, so the re-encoding (15 ms; this check
    /// 0.8 ms) is skipped. A file that is valid but not byte for byte canonical (re-indented by
    /// hand, say) is checked by `contentHash`.
    static func checksumOfWrittenFile(_ data: Data, claimed: String) -> Bool {
        let field = Data("\"checksum\":\"\(claimed)\"".utf8)
        guard claimed.count == 64, let range = data.range(of: field) else { return false }
        var canonical = data
        canonical.replaceSubrange(range, with: Data("\"checksum\":\"\"".utf8))
        if canonical.last == UInt8(ascii: "\n") { canonical.removeLast() }
        return hexSHA256(canonical) == claimed
    }

    /// Writes the file atomically, as one line of canonical JSON (about 24,000 numbers).
    public func write(to path: String) throws {
        try AtomicFile.write(CanonicalJSON.string(of: self) + "\n", to: path)
    }

    /// The default calibration file of a backbone in a models folder (shipped for
    /// EfficientNet-Lite0; see models/README or scripts/make-default-calibration).
    public static func defaultFile(for backbone: Backbone) -> String? {
        backbone == .efficientnetLite0 ? "efficientnet_lite0.int8.json" : nil
    }
}

/// Calibrations parsed from files, by the SHA-256 of the file's bytes (so an edited file is parsed
/// again), for every thread of the process.
private final class ParsedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [SHA256Digest: Int8Calibration] = [:]

    func value(for data: Data, parse: () throws -> Int8Calibration) rethrows -> Int8Calibration {
        let key = SHA256.hash(data: data)
        if let known = lock.withLock({ values[key] }) { return known }
        let value = try parse()
        lock.withLock { values[key] = value }
        return value
    }
}
