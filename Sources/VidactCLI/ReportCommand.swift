// `vidact report [RUN] [--workdir W | --pipeline FILE] [--html FILE]` writes one run's report (the
// latest run by default; RUN is an id or a unique prefix, as for `vidact runs show`) as one
// self-contained HTML page and prints its path. The default file is
// `<workdir>/reports/<first 8 characters of the run id>.html`. An unknown run or an empty catalog
// is an error (exit status 1) naming the catalog and what to do.
import ArgumentParser
import Foundation
import Pipeline
import Reports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's report as one self-contained HTML file.",
        discussion: """
            The page shows the run (when, how long, videos seen/done/skipped/failed, throughput, failures and their \
            reasons), the model (evaluation scores, confusion matrix, training curves) and a sortable, filterable \
            table of videos with predictions, top-3, thumbnails of sampled frames and, for the frames task, a \
            timeline of per-frame labels. It needs no network.
            """)

    @Argument(help: "The run id, or a unique prefix of it (default: the latest run; see `vidact runs`).")
    var runID: String?

    @Option(help: "Working folder of the runs (default: work, or the pipeline's workdir with --pipeline).")
    var workdir: String?

    @Option(help: "A pipeline file whose workdir holds the runs.")
    var pipeline: String?

    @Option(help: "The HTML file to write (default: <workdir>/reports/<run-id-prefix>.html).")
    var html: String?

    func validate() throws {
        if workdir != nil && pipeline != nil {
            throw ValidationError("give --workdir or --pipeline, not both")
        }
    }

    mutating func run() throws {
        let folder = try pipeline.map { try PipelineConfig.load(path: $0).workdir } ?? workdir ?? "work"
        let (path, report) = try Report.write(workdir: folder, runID: runID, html: html)
        let s = report.summary
        print(
            "run \(s.runID.prefix(8)) \(s.status): \(s.videosDone) done, \(s.videosSkipped) skipped, "
                + "\(s.videosFailed) failed of \(s.videosSeen) videos")
        print("report \(path)")
    }
}
