// `vidact dataset synth --out DIR`: renders synthetic activity clips in pairs that differ only in
// frame order, plus multi-segment clips, encodes them (H.264, mp4) and writes UCF101-style split
// files, manifest and segment CSVs and a README. With `--captions N`, instead, N caption clips (an
// object doing two or three events, pairs in opposite event orders) with captions.csv; with
// `--captions-probe M`, the single-event clips of `scripts/caption-event-probe`. Deterministic for
// a seed.
import ArgumentParser
import Foundation
import Pipeline
import SyntheticData

struct DatasetSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Render a synthetic activity dataset (order-paired classes and multi-segment clips) or caption set.",
        discussion: """
            Writes DIR/clips/<class>/<class>_<nnn>.mp4, DIR/segments/multi_<nnn>.mp4, classInd.txt, \
            trainlist01.txt, testlist01.txt, manifest.csv, segments.csv, segments_manifest.csv and README.md.

            With --captions N it writes only the caption set, no activity clips: DIR/captions/<nnn>.mp4, each \
            an object doing two or three events in sequence (--event-frames frames each), in pairs with the same \
            object and scene and the events in opposite orders; captions.csv (video,split,caption: every \
            sentence of the caption grammar, 4 or 3 per clip), captions_events.csv \
            (video,split,colour,shape,events) and README.md (which replaces an activity set's README in the same \
            DIR: give the caption set its own DIR). --per-class, --frames and --multi do not apply.

            With --captions-probe M it writes only M single-event clips per event, DIR/probe/<event>_<nnn>.mp4, \
            and captions_probe.csv (video,split,event; the last third of each event's clips is test): the input \
            of scripts/caption-event-probe.

            The same options give byte-identical files. Existing files of the same names are replaced.
            """)

    @Option(help: "Output folder.")
    var out: String

    @Option(name: .customLong("per-class"), help: "Clips per class (default: 12).")
    var perClass: Int?

    @Option(help: "Frame size WxH (even numbers).")
    var size: String = "160x120"

    @Option(help: "Frames per single-activity clip (default: 24).")
    var frames: Int?

    @Option(help: "Frames per second of the encoded clips.")
    var fps: Int = 10

    @Option(help: "Number of multi-segment clips (default: 20).")
    var multi: Int?

    @Option(
        help: ArgumentHelp("Write N caption clips (even; N/2 pairs) instead of the activity clips.", valueName: "n"))
    var captions: Int?

    @Option(name: .customLong("event-frames"), help: "Frames per event of a caption clip (default: 12).")
    var eventFrames: Int?

    @Option(
        name: .customLong("caption-events"),
        help: ArgumentHelp(
            "Events caption clips may show, comma-separated phrases of the caption grammar, 'turns' for every "
                + "colour change, 'flashes' for every colour flash, 'one-way', 'round-trips' or 'all' (default: "
                + "the round-trip events a linear probe reads from the features).",
            valueName: "list"))
    var captionEvents: String?

    @Option(
        name: .customLong("captions-probe"),
        help: ArgumentHelp(
            "Write M single-event clips per event (for scripts/caption-event-probe) instead.", valueName: "m"))
    var captionsProbe: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Clips rendered and encoded at the same time (default: one per core); the files do not depend on it.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard let (width, height) = parseSize(size) else {
            throw ValidationError("--size must look like 160x120, not '\(size)'")
        }
        if width % 2 != 0 || height % 2 != 0 || width < 16 || height < 16 {
            throw ValidationError("--size must be even and at least 16x16 (H.264 4:2:0), not \(size)")
        }
        if let perClass, perClass < 1 { throw ValidationError("--per-class must be at least 1") }
        if let frames, frames < 2 { throw ValidationError("--frames must be at least 2") }
        if fps < 1 { throw ValidationError("--fps must be at least 1") }
        if let multi, multi < 0 { throw ValidationError("--multi must not be negative") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        try validateCaptions()
    }

    private func validateCaptions() throws {
        if captions != nil, captionsProbe != nil {
            throw ValidationError("--captions and --captions-probe write different sets; give one")
        }
        guard captions != nil || captionsProbe != nil else {
            if captionEvents != nil || eventFrames != nil {
                throw ValidationError("--caption-events and --event-frames need --captions or --captions-probe")
            }
            return
        }
        if perClass != nil || frames != nil || multi != nil {
            throw ValidationError(
                "--per-class, --frames and --multi are for the activity clips, which --captions does not write; "
                    + "use --event-frames for the length of a caption clip's events")
        }
        if let captions, captions < 2 || captions % 2 != 0 {
            throw ValidationError("--captions must be even and at least 2 (clips come in pairs), not \(captions)")
        }
        if let captionsProbe, captionsProbe < 2 { throw ValidationError("--captions-probe must be at least 2") }
        if let eventFrames, eventFrames < 2 { throw ValidationError("--event-frames must be at least 2") }
        let events = try Self.events(captionEvents)
        if captions != nil, !CaptionDatasetPlan.allowsPairs(events) {
            throw ValidationError(
                "--caption-events \(captionEvents ?? ""): no clip of these events makes a pair with itself played "
                    + "backwards, which shows the inverse events (add shrinks for grows, moves right for moves left, …)"
            )
        }
    }

    /// The events `--caption-events` names (the default set when nil).
    static func events(_ list: String?) throws -> [CaptionEvent] {
        guard let list else { return CaptionDatasetPlan.defaultEvents }
        var events: [CaptionEvent] = []
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let named: [CaptionEvent]
            switch item {
            case "all": named = CaptionEvent.all
            case "one-way": named = CaptionEvent.oneWay
            case "round-trips": named = CaptionEvent.roundTrips
            case "turns": named = CaptionColour.allCases.map { .turns($0) }
            case "flashes": named = CaptionColour.allCases.map { .flashes($0) }
            default:
                guard let event = CaptionEvent(phrase: item) else {
                    let phrases = CaptionEvent.all.map(\.phrase).joined(separator: ", ")
                    throw ValidationError(
                        "--caption-events: '\(item)' is not an event; use \(phrases), turns, flashes, one-way, round-trips or all"
                    )
                }
                named = [event]
            }
            for event in named where !events.contains(event) { events.append(event) }
        }
        if events.isEmpty { throw ValidationError("--caption-events is empty") }
        // The grammar's order, whatever the order given, so that the same set plans the same clips.
        return CaptionEvent.all.filter { events.contains($0) }
    }

    mutating func run() throws {
        guard let (width, height) = parseSize(size) else { return }
        if captions != nil || captionsProbe != nil {
            try runCaptions(width: width, height: height)
            return
        }
        let settings = SyntheticDatasetSettings(
            directory: out, perClass: perClass ?? 12, width: width, height: height, frames: frames ?? 24, fps: fps,
            seed: seed, multi: multi ?? 20)
        let plan = SyntheticDatasetPlan(settings)
        let started = Date()
        let terminal = isatty(STDERR_FILENO) != 0
        do {
            let summary = try SyntheticDataset.write(plan, jobs: jobs, progress: Self.progress(terminal))
            if terminal { printError("") }
            let seconds = Date().timeIntervalSince(started)
            print(
                "\(out): \(summary.clips) clips in \(SyntheticActivity.allCases.count) classes, "
                    + "\(summary.multiClips) multi-segment clips, \(summary.frames) frames, \(summary.codec), "
                    + String(format: "%.1f s", seconds))
        } catch let error as SyntheticDatasetError {
            if terminal { printError("") }
            throw CLIError(error.description)
        }
    }

    private func runCaptions(width: Int, height: Int) throws {
        let settings = CaptionDatasetSettings(
            directory: out, clips: captions ?? 0, width: width, height: height, framesPerEvent: eventFrames ?? 12,
            fps: fps,
            seed: seed, events: try Self.events(captionEvents))
        let plan =
            captionsProbe.map { CaptionDatasetPlan.probe(settings, perEvent: $0) } ?? CaptionDatasetPlan(settings)
        let started = Date()
        let terminal = isatty(STDERR_FILENO) != 0
        do {
            let summary = try CaptionDataset.write(
                plan, probe: captionsProbe != nil, jobs: jobs, progress: Self.progress(terminal))
            if terminal { printError("") }
            let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
            if captionsProbe != nil {
                print(
                    "\(out): \(summary.clips) probe clips, \(settings.events.count) events, \(summary.frames) frames, "
                        + "\(summary.codec), \(seconds)")
            } else {
                print(
                    "\(out): \(summary.clips) caption clips in \(summary.clips / 2) pairs, \(summary.captions) "
                        + "captions, \(summary.frames) frames, \(summary.codec), \(seconds)")
            }
        } catch let error as SyntheticDatasetError {
            if terminal { printError("") }
            throw CLIError(error.description)
        }
    }

    /// Progress on stderr: a rewritten line on a terminal, else every 20 clips.
    private static func progress(_ terminal: Bool) -> (Int, Int, String) -> Void {
        { done, total, path in
            if terminal {
                printError("\u{1B}[2K\rvidact: \(done)/\(total) \(path)", newline: false)
            } else if done % 20 == 0 || done == total {
                printError("vidact: \(done)/\(total) clips")
            }
        }
    }
}
