// One file's probe result, as printed by `vidact probe` (table row or JSON line).
import Basics
import Foundation
import VideoDecoding

struct ProbeRecord {
    var path: String
    var info: VideoInfo?
    var count: FrameCount?
    var keyframes: KeyframeSummary?
    var error: DecodeError?

    var ok: Bool { error == nil }

    /// `keyframes`: also read the packets for the keyframe summary (a demux-only pass).
    static func probe(_ path: String, countFrames: Bool, keyframes: Bool = false, options: DecodeOptions) -> ProbeRecord
    {
        do {
            let reader = try VideoReader(path: path, options: options)
            var record = ProbeRecord(path: path, info: reader.info)
            if keyframes {
                do {
                    record.keyframes = try reader.keyframes()
                } catch let error as DecodeError {
                    record.error = error
                }
            }
            if countFrames {
                do {
                    record.count = try reader.countFrames()
                    if record.count?.decoded == 0 {
                        record.error = DecodeError(.corruptData, path: path, "no frame could be decoded")
                    }
                } catch let error as DecodeError {
                    record.error = error
                }
            }
            return record
        } catch let error as DecodeError {
            return ProbeRecord(path: path, error: error)
        } catch {
            return ProbeRecord(path: path, error: DecodeError(.ioError, path: path, "\(error)"))
        }
    }

    /// The JSON object documented in the README; unknown values are null.
    func jsonObject() -> [String: Any] {
        var object: [String: Any] = ["path": path, "ok": ok]
        if let info {
            object["container"] = info.container
            object["codec"] = info.codec
            object["pixel_format"] = info.pixelFormat
            object["width"] = info.width
            object["height"] = info.height
            object["coded_width"] = info.codedWidth
            object["coded_height"] = info.codedHeight
            object["stream_index"] = info.streamIndex
            object["time_base"] = info.timeBase.description
            object["duration"] = info.duration ?? NSNull()
            object["start_time"] = info.startTime ?? NSNull()
            object["avg_fps"] = info.averageFrameRate ?? NSNull()
            object["frames_header"] = info.headerFrameCount ?? NSNull()
            object["rotation"] = info.rotation
            object["vfr"] = (count?.variableFrameRate ?? info.variableFrameRate) ?? NSNull()
        }
        if let count {
            object["frames_decoded"] = count.decoded
            object["corrupt_packets"] = count.corruptPackets
            object["corrupt_frames"] = count.corruptFrames
            object["read_errors"] = count.readErrors
        }
        if info != nil {
            object["keyframes"] = keyframes?.count ?? NSNull()
            object["keyframe_interval_mean"] = keyframes?.meanInterval ?? NSNull()
            object["keyframe_interval_max"] = keyframes?.maxInterval ?? NSNull()
        }
        if let error {
            object["error"] = JSONLine.error(error)
        }
        return object
    }

    func jsonLine() -> String { JSONLine.encode(jsonObject()) }
}

/// The human-readable table of `vidact probe`.
struct ProbeTable {
    let countFrames: Bool
    private var rows: [[String]] = []
    private var errors: [String] = []

    init(countFrames: Bool) { self.countFrames = countFrames }

    mutating func add(_ record: ProbeRecord) {
        guard let info = record.info else {
            var row = [record.path] + Array(repeating: "-", count: countFrames ? 9 : 8)
            row.append("FAILED")
            rows.append(row)
            if let error = record.error { errors.append(error.description) }
            return
        }
        var row: [String] = [record.path, info.codec, info.pixelFormat, "\(info.width)x\(info.height)"]
        row.append(String(info.rotation))
        row.append(Self.seconds(info.averageFrameRate))
        row.append(Self.seconds(info.duration))
        row.append(Self.seconds(info.startTime))
        row.append(info.headerFrameCount.map { String($0) } ?? "?")
        if countFrames { row.append(record.count.map { "\($0.decoded)" } ?? "-") }
        if let error = record.error {
            row.append("FAILED")
            errors.append(error.description)
        } else if let count = record.count, count.corruptPackets > 0 {
            row.append("ok, \(count.corruptPackets) corrupt")
        } else {
            row.append("ok")
        }
        rows.append(row)
    }

    private static func seconds(_ value: Double?) -> String {
        guard let value else { return "?" }
        return String(format: "%.3f", value)
    }

    func printAll() {
        let header =
            ["PATH", "CODEC", "PIXFMT", "SIZE", "ROT", "FPS", "DURATION", "START", "FRAMES"]
            + (countFrames ? ["DECODED"] : []) + ["STATUS"]
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            print(FileName.display(cells.joined(separator: "  ")))
        }
        for error in errors { print(FileName.display("error: \(error)")) }
    }
}
