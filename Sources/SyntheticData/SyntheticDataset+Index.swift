// The index files of a synthetic dataset, as text, from its plan alone:
// - `classInd.txt`: `1 grow` … (1-based, class order), as UCF101;
// - `trainlist01.txt`: `grow/grow_000.mp4 1` for the train and val clips; `testlist01.txt`:
//   `grow/grow_003.mp4` for the test clips; paths relative to `clips/` (UCF101 has no val split);
// - `manifest.csv`: `video,label,split` for the single-activity clips, paths relative to the
//   dataset folder;
// - `segments.csv`: `video,start,end,label`, seconds, half-open [start, end). A frame k is shown at
//   k / fps; a segment of frames [a, b) runs from (a − ½) / fps (0 for the first) to (b − ½) / fps,
//   so no frame timestamp lies on a boundary, whatever rounding a reader's clock has;
// - `segments_manifest.csv`: `video,label,split` for the multi-segment clips, label `multi`;
// - `README.md`: the classes, pairs, counts, settings and layout.

extension SyntheticDataset {
    /// File name (relative to the dataset folder) → contents, in writing order.
    public static func indexFiles(_ plan: SyntheticDatasetPlan) -> [(String, String)] {
        [
            ("classInd.txt", classIndex()), ("trainlist01.txt", trainList(plan)), ("testlist01.txt", testList(plan)),
            ("manifest.csv", manifest(plan.clips)), ("segments.csv", segments(plan)),
            ("segments_manifest.csv", manifest(plan.multiClips)), ("README.md", readme(plan)),
        ]
    }

    static func classIndex() -> String {
        SyntheticActivity.allCases.enumerated().map { "\($0.offset + 1) \($0.element.name)\n" }.joined()
    }

    static func trainList(_ plan: SyntheticDatasetPlan) -> String {
        plan.clips.filter { $0.split != .test }.map { clip in
            guard let activity = SyntheticActivity(rawValue: clip.label) else {
                preconditionFailure("SyntheticDataset: clip label \(clip.label) is not a SyntheticActivity")
            }
            let number = activity.position + 1
            return "\(clip.path.dropFirst("clips/".count)) \(number)\n"
        }.joined()
    }

    static func testList(_ plan: SyntheticDatasetPlan) -> String {
        plan.clips.filter { $0.split == .test }.map { "\($0.path.dropFirst("clips/".count))\n" }.joined()
    }

    static func manifest(_ clips: [PlannedClip]) -> String {
        "video,label,split\n" + clips.map { "\($0.path),\($0.label),\($0.split.rawValue)\n" }.joined()
    }

    static func segments(_ plan: SyntheticDatasetPlan) -> String {
        let fps = Double(plan.settings.fps)
        var text = "video,start,end,label\n"
        for clip in plan.multiClips {
            var first = 0
            for segment in clip.segments {
                let start = first == 0 ? 0 : (Double(first) - 0.5) / fps
                let end = (Double(first + segment.frames) - 0.5) / fps
                text += "\(clip.path),\(start),\(end),\(segment.activity.name)\n"
                first += segment.frames
            }
        }
        return text
    }

    static func readme(_ plan: SyntheticDatasetPlan) -> String {
        let s = plan.settings
        func count(_ clips: [PlannedClip], _ split: DatasetSplit) -> Int { clips.filter { $0.split == split }.count }
        var lines = [
            "# Synthetic activity clips", "",
            "Written by `vidact dataset synth --per-class \(s.perClass) --size \(s.width)x\(s.height) "
                + "--frames \(s.frames) --fps \(s.fps) --multi \(s.multi) --seed \(s.seed)`; the same command "
                + "writes byte-identical files.", "",
            "Each clip is rendered in Swift and encoded with libavcodec (H.264, yuv420p, mp4), "
                + "\(s.width)x\(s.height) at \(s.fps) fps, \(s.frames) frames. Objects (circle, square, triangle), "
                + "colours, textures, sizes, positions, backgrounds, scroll speeds and pacing vary per clip.", "",
            "## Classes", "",
            "Classes come in pairs. The second class of a pair is the first one's clip played backwards: "
                + "clip i of both classes holds exactly the same frames, in opposite orders, and both are in the "
                + "same split. A model that ignores frame order is at chance within a pair.", "",
            "| # | class | pair | what it shows |", "|---|---|---|---|",
        ]
        for (i, activity) in SyntheticActivity.allCases.enumerated() {
            lines.append("| \(i + 1) | `\(activity.name)` | `\(activity.partner.name)` | \(activity.summary) |")
        }
        lines += [
            "", "## Counts", "", "| set | train | val | test |", "|---|---|---|---|",
            "| single-activity clips (\(plan.clips.count)) | \(count(plan.clips, .train)) | "
                + "\(count(plan.clips, .val)) | \(count(plan.clips, .test)) |",
            "| multi-segment clips (\(plan.multiClips.count)) | \(count(plan.multiClips, .train)) | "
                + "\(count(plan.multiClips, .val)) | \(count(plan.multiClips, .test)) |",
            "", "Splits are 60/20/20, drawn per pair from the seed.", "",
            "## Layout", "",
            "- `clips/<class>/<class>_<nnn>.mp4`: single-activity clips, a folder per class;",
            "- `segments/multi_<nnn>.mp4`: 2–4 activities back to back, each at least \(s.minSegmentFrames) "
                + "frames, neighbours different, each with its own scene;",
            "- `classInd.txt`, `trainlist01.txt` (train and val clips), `testlist01.txt`: UCF101-style, paths "
                + "relative to `clips/`, class numbers 1-based;",
            "- `manifest.csv`: `video,label,split` for the single-activity clips, paths relative to this folder;",
            "- `segments.csv`: `video,start,end,label` for the multi-segment clips, in seconds, half-open "
                + "[start, end). Frame k is shown at k / \(s.fps) s; a segment of frames [a, b) runs from "
                + "(a − 0.5) / \(s.fps) s (0 for the first) to (b − 0.5) / \(s.fps) s, so no frame lies on a "
                + "boundary;",
            "- `segments_manifest.csv`: `video,label,split` for the multi-segment clips (label `multi`).", "",
        ]
        return lines.joined(separator: "\n")
    }
}
