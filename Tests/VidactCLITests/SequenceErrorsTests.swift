// The errors of `vidact train`, `predict` and `evaluate` say what went wrong and what to do: a
// video without cached features names itself and the `vidact features extract` command; features
// of another extractor key name both keys; a bad manifest line names file and line; a workdir with
// two keys lists them. Each exits with status 1 (2 for usage errors).
import FeatureStore
import Foundation
import SequenceFixtures
import TensorCore
import TestSupport
import Testing

struct SequenceErrorsTests {
    static let small = ["--epochs", "2", "--batch", "8", "--hidden", "4"]

    @Test func videoNotCachedNamesTheExtractCommand() throws {
        let fixture = try SequenceFixture(cached: { $0 != 5 })
        defer { fixture.remove() }
        let result = try CLITests.run(
            CLITests.binary,
            ["train", "--data", fixture.manifest, "--workdir", fixture.workdir, "--out", fixture.dir + "/m"]
                + Self.small)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "\(fixture.video(5)): no features under extractor key \(SequenceFixture.spec.key); run `vidact features "
                    + "extract \(fixture.video(5)) --workdir \(fixture.workdir) --fps 1.0 --short-side 256 --crop 224 "
                    + "--norm lite --dtype f32`"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.dir + "/m/best.safetensors"))
    }

    @Test func otherExtractorKeyIsRefused() throws {
        let fixture = try SequenceFixture()
        defer { fixture.remove() }
        let out = fixture.dir + "/m"
        let trained = try CLITests.run(
            CLITests.binary,
            ["train", "--data", fixture.manifest, "--workdir", fixture.workdir, "--out", out] + Self.small)
        #expect(trained.status == 0, "\(trained.stderr)")
        var other = SequenceFixture.spec
        other.sampling = "uniform:8"
        var rng = SeededRNG(seed: 1)
        let store = FeatureStore(workdir: fixture.workdir)
        let path = try store.write(try fixture.volume(3, frames: 6, rng: &rng, spec: other))
        try store.recordUse(of: other)
        let predicted = try CLITests.vidact(
            "predict", "--model", out, path, fixture.video(4), "--workdir", fixture.workdir)
        #expect(predicted.status == 1)
        #expect(
            predicted.stderr.contains(
                "\(path): features of extractor key \(other.key) (\(other.summary)), but the model \(out)/best.safetensors "
                    + "was trained on extractor key \(SequenceFixture.spec.key)"), "\(predicted.stderr)")
        // The other input still got its prediction.
        #expect(predicted.stdout.hasPrefix(fixture.video(4) + "\n  1. "), "\(predicted.stdout)")

        // Two keys now: train without --extractor lists both; with it, it trains.
        let ambiguous = try CLITests.run(
            CLITests.binary,
            ["train", "--data", fixture.manifest, "--workdir", fixture.workdir, "--out", fixture.dir + "/m2"]
                + Self.small)
        #expect(ambiguous.status == 1)
        #expect(
            ambiguous.stderr.contains("holds 2 extractor keys; pick one with --extractor KEY"), "\(ambiguous.stderr)")
        #expect(ambiguous.stderr.contains("  \(other.key)  \(other.summary)"))
        #expect(ambiguous.stderr.contains("  \(SequenceFixture.spec.key)  \(SequenceFixture.spec.summary)"))
        let chosen = try CLITests.run(
            CLITests.binary,
            [
                "train", "--data", fixture.manifest, "--workdir", fixture.workdir, "--out", fixture.dir + "/m2",
                "--extractor", SequenceFixture.spec.key,
            ] + Self.small)
        #expect(chosen.status == 0, "\(chosen.stderr)")
    }

    @Test func badManifestLineNamesFileAndLine() throws {
        let fixture = try SequenceFixture(cached: { _ in false })
        defer { fixture.remove() }
        try "video,split,label\nclips/v00.mp4,train,up\nclips/v01.mp4,training,down\n".write(
            toFile: fixture.manifest, atomically: true, encoding: .utf8)
        for command in [
            ["train", "--out", fixture.dir + "/m"],
            ["evaluate", "--model", fixture.dir + "/m"],
        ] {
            let result = try CLITests.run(
                CLITests.binary, command + ["--data", fixture.manifest, "--workdir", fixture.workdir])
            #expect(result.status == 1)
            let expected =
                command[0] == "train"
                ? "\(fixture.manifest):3: split \"training\" is not one of train, val, test"
                : "\(fixture.dir)/m: no model checkpoint here"
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
        let usage = try CLITests.vidact("train", "--data", fixture.manifest, "--out", "x", "--task", "frames")
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--task frames needs --segments FILE"))
    }
}
