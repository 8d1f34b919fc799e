// The index files of a caption dataset, as text, from its plan alone:
// - `captions.csv`: `video,split,caption` (vidact's caption dataset file, `Datasets.CaptionTable`),
//   one row per reference: every sentence `EventCaptionGrammar` writes for the clip (4 for two
//   events, 3 for three), rows by split (train, val, test), then clip, then the grammar's order;
// - `captions_events.csv`: `video,split,colour,shape,events`, events in order joined by `;`, one
//   row per clip in clip order (for people and scripts; the captions say the same);
// - `README.md`: settings, events, pairs, counts and layout;
// - the probe set's `captions_probe.csv`: `video,split,event`, one row per clip.
// Paths are relative to the dataset folder.

import Basics

extension CaptionDataset {
    /// File name (relative to the dataset folder) → contents, in writing order.
    public static func indexFiles(_ plan: CaptionDatasetPlan) -> [(String, String)] {
        [("captions.csv", captions(plan)), ("captions_events.csv", events(plan)), ("README.md", readme(plan))]
    }

    static func captions(_ plan: CaptionDatasetPlan) -> String {
        var text = "video,split,caption\n"
        for split in DatasetSplit.allCases {
            for clip in plan.clips where clip.split == split {
                for caption in clip.captions { text += CSV.row([clip.path, split.rawValue, caption]) + "\n" }
            }
        }
        return text
    }

    static func events(_ plan: CaptionDatasetPlan) -> String {
        "video,split,colour,shape,events\n"
            + plan.clips.map {
                CSV.row([
                    $0.path, $0.split.rawValue, $0.colour.name, $0.shape.name,
                    $0.events.map(\.phrase).joined(separator: ";"),
                ]) + "\n"
            }.joined()
    }

    static func probeIndex(_ plan: CaptionDatasetPlan) -> String {
        "video,split,event\n"
            + plan.clips.map {
                CSV.row([$0.path, $0.split.rawValue, $0.events.map(\.phrase).joined(separator: ";")]) + "\n"
            }
            .joined()
    }

    /// The `vidact dataset synth` options that write this plan's dataset.
    static func command(_ s: CaptionDatasetSettings) -> String {
        var options =
            "--captions \(s.clips) --size \(s.width)x\(s.height) --event-frames \(s.framesPerEvent) "
            + "--fps \(s.fps) --seed \(s.seed)"
        if s.events != CaptionDatasetPlan.defaultEvents {
            options += " --caption-events '\(s.events.map(\.phrase).joined(separator: ","))'"
        }
        return "vidact dataset synth " + options
    }

    static func readme(_ plan: CaptionDatasetPlan) -> String {
        let s = plan.settings
        let seconds = Double(s.framesPerEvent) / Double(s.fps)
        var lines = [
            "# Synthetic caption clips", "",
            "Written by `\(command(s))`; the same command writes byte-identical files.", "",
            "Each clip shows one object (a circle, square or triangle; red, green, blue or yellow; textured) "
                + "doing two or three events one after another, each over \(s.framesPerEvent) frames "
                + "(\(seconds) s), on a muted textured background that scrolls out and back. One-way events "
                + "change the object's state, which carries over to the next event (after `grows` it stays "
                + "large); round-trip events go out and come back. A clip shows events of one kind only. "
                + "Rendered in Swift, encoded with "
                + "libavcodec (H.264, yuv420p, mp4, every frame a keyframe), \(s.width)x\(s.height) at \(s.fps) fps. "
                + "The caption's colour is the object's colour at the start.", "",
            "## Events", "",
            "| event | what it shows |", "|---|---|",
        ]
        for event in s.events { lines.append("| `\(event.phrase)` | \(summary(event)) |") }
        lines += [
            "", "## Pairs", "",
            "Clips come in pairs: clip 2k + 1 (`001`, `003`, …) is clip 2k (`000`, `002`, …) played backwards, "
                + "the same pictures in reverse order, with the same object and scene, in the same split; a model "
                + "that ignores frame order sees the same frames for both. Played backwards, one-way events become "
                + "their inverses in the other order (`grows then moves left` ↔ `moves right then shrinks`; a "
                + "colour change turns back to the colour before, and the partner's caption names the colour it "
                + "starts with), and round trips are the same events in the other order. A one-way clip never "
                + "shows two events that change the same size, turn or position, a spin with a size change (a "
                + "spinning object is large), an event while the object is invisible, or a colour change to the "
                + "colour it has. A round-trip clip never shows an event twice, a rock with a pulse, or a flash "
                + "to the object's colour. Every clip's partner shows enabled events only.", "",
            "## Counts", "",
            "| split | pairs | clips | two events | three events | captions |", "|---|---|---|---|---|---|",
        ]
        for split in DatasetSplit.allCases {
            let clips = plan.clips.filter { $0.split == split }
            let two = clips.filter { $0.events.count == 2 }.count
            lines.append(
                "| \(split.rawValue) | \(clips.count / 2) | \(clips.count) | \(two) | \(clips.count - two) | "
                    + "\(clips.reduce(0) { $0 + $1.captions.count }) |")
        }
        lines += ["", "| event | clips |", "|---|---|"]
        for event in s.events {
            lines.append("| `\(event.phrase)` | \(plan.clips.filter { $0.events.contains(event) }.count) |")
        }
        lines += [
            "", "## Layout", "",
            "- `captions/<nnn>.mp4`: the clips;",
            "- `captions.csv`: `video,split,caption`, one row per reference caption: every sentence of the "
                + "caption grammar for the clip (4 for two events, 3 for three, one of them naming the events in "
                + "reverse text order: `… B after it A`), rows by split, then clip; paths relative to this folder;",
            "- `captions_events.csv`: `video,split,colour,shape,events`, the events in order joined by `;`.", "",
        ]
        return lines.joined(separator: "\n")
    }

    static func summary(_ event: CaptionEvent) -> String {
        switch event {
        case .grows: return "the object grows from small to large (about 8x the area)"
        case .shrinks: return "the object shrinks from large to small"
        case .fadesIn: return "the object appears (opacity 0 → 1); only in the fade pair"
        case .fadesOut: return "the object disappears (opacity 1 → 0); only in the fade pair"
        case .turns(let colour): return "the object's colour changes to \(colour.name)"
        case .spinsClockwise:
            return "a large two-tone object (one half near-white, on top at the start) turns clockwise by "
                + "85–105°, so the white half ends on the right"
        case .spinsAnticlockwise: return "the same, anticlockwise: the white half ends on the left"
        case .movesLeft: return "the object crosses 40–50 % of the width to the left"
        case .movesRight: return "the object crosses 40–50 % of the width to the right"
        case .pulses: return "the object grows from medium to large and shrinks back (a round trip)"
        case .blinks: return "the object fades out and back in (a round trip)"
        case .swaysLeft: return "the object moves from the middle to the left and back (a round trip)"
        case .swaysRight: return "the object moves from the middle to the right and back (a round trip)"
        case .rocksClockwise:
            return "a large two-tone object turns clockwise by 85–105° and back (a round trip)"
        case .rocksAnticlockwise: return "the same, anticlockwise and back (a round trip)"
        case .flashes(let colour): return "the object's colour changes to \(colour.name) and back (a round trip)"
        }
    }
}
