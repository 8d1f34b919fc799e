// Gathers a run's report from the workdir: the run and its items from the catalog, the pipeline
// configuration the run recorded (read back from its canonical JSON) and the dataset it names
// (for labels and splits; resolved again now, so videos added since are listed as not run), the
// catalog's predictions of the run's model, the model folder's files (`Report+Model.swift`) and
// thumbnails decoded from the videos themselves. Whatever cannot be read any more (a deleted
// dataset, a model folder removed) leaves its section out with a note; only a missing catalog or
// an unknown run is an error.
import Catalog
import Datasets
import Foundation
import Pipeline
import SequenceModels

extension Report {
    /// `vidact report`: gathers the report of run `runID` (nil: the latest) and writes its page to
    /// `html`, by default `<workdir>/reports/<first 8 characters of the run id>.html`. Returns the
    /// path written and the report.
    public static func write(workdir: String, runID: String?, html: String?) throws -> (path: String, report: Report) {
        let report = try gather(workdir: workdir, runID: runID)
        let path = html ?? "\(workdir)/reports/\(report.summary.runID.prefix(8)).html"
        try ReportHTML.write(report, to: path)
        return (path, report)
    }

    /// The report of run `runID` (an id or a unique prefix; nil: the latest run) of `workdir`.
    /// `thumbnails` nil leaves thumbnails out; at most `thumbnailVideos` videos get a strip.
    public static func gather(
        workdir: String, runID: String?, thumbnails: ReportThumbnails? = ReportThumbnails(), thumbnailVideos: Int = 200
    ) throws -> Report {
        let catalog = try openCatalog(workdir: workdir)
        let run = try findRun(catalog, runID: runID, workdir: workdir)
        let items = try catalog.items(runID: run.id)
        var notes: [String] = []
        let config = try? JSONDecoder().decode(PipelineConfig.self, from: Data(run.configJSON.utf8))
        if config == nil {
            notes.append(
                "The run's pipeline configuration could not be read back: labels, splits and the model are unknown.")
        }
        var dataset: ResolvedDataset?
        if let config {
            do {
                dataset = try DatasetResolver.resolve(config.dataset)
            } catch {
                notes.append("The dataset can no longer be read (\(error)); the videos listed are those the run named.")
            }
        }
        var thumbnails = thumbnails
        if thumbnails?.runSampling == nil { thumbnails?.runSampling = config?.extract.sampling }
        let extract = lastItems(items.filter { $0.step == .extract })
        let names = Set(dataset?.videos.map(\.relativePath) ?? []).union(extract.keys).sorted()
        let summary = makeSummary(
            run: run, config: config, workdir: workdir, items: items, extract: extract, seen: names)
        let failures = items.filter { $0.status == .failed || $0.status == .interrupted }.map {
            Failure(
                step: $0.step.rawValue, unit: $0.unit, kind: $0.errorKind ?? $0.status.rawValue,
                message: $0.errorMessage ?? "no message recorded")
        }
        let found = findModel(catalog, run: run, config: config, workdir: workdir)
        let predictions = (found.flatMap { try? catalog.predictions(model: $0.name) } ?? [])
        let byPath = Dictionary(
            predictions.map { ($0.videoPath, $0) }, uniquingKeysWith: { $0.created > $1.created ? $0 : $1 })
        var truth: FrameSegments?
        if let segments = config?.dataset.segments { truth = try? FrameSegments.load(path: segments) }
        let references = config?.dataset.paths.captions.flatMap { try? CaptionTable.load(path: $0, splits: true) }
        var referencesByPath: [String: [String]] = [:]
        for row in references?.rows ?? [] { referencesByPath[row.path, default: []].append(row.caption) }
        var model: Model?
        if let found {
            model = modelSection(
                found, config: config, dataset: dataset, truth: truth, predictions: byPath, workdir: workdir,
                notes: &notes)
        } else {
            notes.append("No model: this pipeline trains none and names none (or its folder is gone).")
        }
        if found != nil && predictions.isEmpty { notes.append("No predictions recorded for the model yet.") }
        let videos = dataset.map {
            Dictionary($0.videos.map { ($0.relativePath, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var rows: [Video] = []
        for (index, name) in names.enumerated() {
            let video = videos?[name]
            var row = Video(
                path: name, split: video?.split?.rawValue, truth: video?.label,
                status: extract[name].map { $0.status.rawValue } ?? "skipped")
            if let prediction = byPath[name] { fill(&row, from: prediction) }
            if let video { row.references = referencesByPath[video.path] ?? [] }
            if let video, let annotations = truth?.byVideo[video.path] {
                row.truthSegments = annotations.filter { $0.unit == .seconds }.map {
                    Segment(label: $0.label, start: $0.start, end: $0.end)
                }
            }
            let file = video?.path ?? config?.dataset.root.map { $0 + "/" + name }
            if let thumbnails, index < thumbnailVideos, let file {
                (row.thumbnails, row.thumbnailNote) = thumbnails.strip(path: file)
            }
            rows.append(row)
        }
        if thumbnails != nil && names.count > thumbnailVideos {
            notes.append("Thumbnails are shown for the first \(thumbnailVideos) of \(names.count) videos.")
        }
        return Report(summary: summary, failures: failures, videos: rows, model: model, notes: notes)
    }

    static func openCatalog(workdir: String) throws -> Catalog {
        let path = Catalog.path(workdir: workdir)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CatalogError(
                .notFound, path: path, "no catalog (it is created by the first `vidact run` in \(workdir))")
        }
        return try Catalog(path: path)
    }

    static func findRun(_ catalog: Catalog, runID: String?, workdir: String) throws -> RunRecord {
        if let runID {
            guard let run = try catalog.run(id: runID) else {
                throw CatalogError(
                    .notFound, path: catalog.path, "no run '\(runID)' (see `vidact runs --workdir \(workdir)`)")
            }
            return run
        }
        guard let latest = try catalog.runs(limit: 1).first else {
            throw CatalogError(.notFound, path: catalog.path, "no runs yet; `vidact run PIPELINE` makes the first")
        }
        return latest
    }

    /// The last item of each unit (a unit may be recorded more than once in a run).
    static func lastItems(_ items: [RunItemRecord]) -> [String: RunItemRecord] {
        var last: [String: RunItemRecord] = [:]
        for item in items { last[item.unit] = item }
        return last
    }

    static func makeSummary(
        run: RunRecord, config: PipelineConfig?, workdir: String, items: [RunItemRecord],
        extract: [String: RunItemRecord], seen: [String]
    ) -> Summary {
        let done = extract.values.filter { $0.status == .done }
        let failed = extract.values.filter { $0.status == .failed || $0.status == .interrupted }.count
        let steps = PipelineStep.allCases.compactMap { step -> StepCount? in
            let ofStep = items.filter { $0.step == step }
            guard !ofStep.isEmpty || config?.steps.contains(step) == true else { return nil }
            return StepCount(
                step: step.rawValue, done: ofStep.filter { $0.status == .done }.count,
                failed: ofStep.filter { $0.status == .failed || $0.status == .interrupted }.count)
        }
        return Summary(
            runID: run.id, status: run.status.rawValue, pipeline: config?.file, workdir: workdir,
            configHash: run.configHash, host: run.host, shard: run.shard, started: run.startedAt, ended: run.endedAt,
            seconds: run.seconds(), videosSeen: seen.count, videosDone: done.count, videosFailed: failed,
            videosSkipped: max(0, seen.count - done.count - failed),
            decodedFrames: done.reduce(0) { $0 + ($1.decodedFrames ?? 0) }, steps: steps)
    }

    /// Label, probability, top-3 and segments of a catalog prediction.
    static func fill(_ row: inout Video, from prediction: PredictionRecord) {
        row.predicted = prediction.label
        row.probability = prediction.probability
        let details = prediction.topKJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        // A caption model keeps an object there (finished, attention), other models the top-k list.
        if let object = details as? [String: Any], let attention = object["attention"] as? [[Double]] {
            row.attention = attention
        }
        if let list = details as? [[String: Any]] {
            row.top = list.prefix(3).compactMap { entry in
                guard let label = entry["label"] as? String, let p = entry["probability"] as? Double else { return nil }
                return Scored(label: label, probability: p)
            }
        }
        if let text = prediction.segmentsJSON,
            let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]]
        {
            row.predictedSegments = list.compactMap { entry in
                guard let label = entry["label"] as? String, let start = entry["start"] as? Double,
                    let end = entry["end"] as? Double
                else { return nil }
                return Segment(label: label, start: start, end: end)
            }
        }
    }
}
