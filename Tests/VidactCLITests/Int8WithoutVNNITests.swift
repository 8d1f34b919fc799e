// EfficientNet-Lite0 in int8 as a CPU without VNNI runs it: ONEDNN_MAX_CPU_ISA=AVX2 makes oneDNN
// use only its AVX2 kernels (on an AVX2-only CPU the variable changes nothing). There the stem reads
// its picture as u8 with a zero byte after each colour (`Int8WidenedStem`), so oneDNN keeps its
// weights at 8 bits, and the features of the real photos stay close to f32's.
import Foundation
import TestSupport
import Testing

struct Int8WithoutVNNITests {
    static let environment = ["ONEDNN_MAX_CPU_ISA=AVX2"]

    /// oneDNN's own log of the stem convolution: a u8 source of 6 channels and s8 weights without
    /// the half scale ("sa0.5") that its AVX2 kernels give the weights of an s8 source.
    @Test func theStemReadsU8AndKeepsItsWeightsWhole() throws {
        let bench = try runProcess(
            "/usr/bin/env",
            Self.environment + [
                "ONEDNN_VERBOSE=1", CLITests.binary, "cnn-bench", "--models", FeaturesCommandTests.models,
                "--precision", "int8", "--batch", "1", "--iterations", "1",
            ])
        #expect(bench.status == 0, "\(bench.stderr)")
        let stem = try #require(
            bench.stdout.split(separator: "\n").first { $0.contains("exec") && $0.contains("ic6oc32") },
            "no stem convolution of 6 input channels in the log:\n\(bench.stdout.suffix(2000))")
        #expect(!stem.contains("vnni") && stem.contains("src_u8"), "\(stem)")
        #expect(!stem.contains("sa0.5"), "the stem's weights are at half scale: \(stem)")
    }

    /// `int8-check` on the three test photos: every top-1 class kept, and a minimum cosine with f32
    /// above what the s8 stem at 7 bits gave (measured: 0.9888 before, 0.9936 with the widened stem;
    /// 0.9984 with VNNI).
    @Test func realPhotosKeepTheirClassesAndStayCloseToF32() throws {
        let check = try runProcess(
            "/usr/bin/env",
            Self.environment + [
                CLITests.binary, "int8-check", "--models", FeaturesCommandTests.models, "--images",
                FeaturesCommandTests.models + "/test-photos", "--frames", "3",
            ])
        #expect(check.status == 0, "\(check.stderr)")
        let line = try #require(check.stdout.split(separator: "\n").last.map(String.init))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        #expect(json["pictures"] as? Int == 3 && json["top1_agree"] as? Int == 3, "\(json)")
        #expect((json["cosine_min"] as? Double ?? 0) >= 0.992, "\(json)")
    }
}
