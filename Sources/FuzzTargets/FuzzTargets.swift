// The fuzz targets of vidact's parsers (scripts/fuzz): each takes arbitrary bytes and must return
// normally — a thrown error is the expected answer to bad input; a crash, a hang, a leak or an
// unbounded allocation is a finding. The same functions run in two builds: under libFuzzer
// (`Fuzz*` executables built with `-sanitize=fuzzer,address -DFUZZING` by scripts/fuzz) and, in
// the normal test suite, over the committed seed corpora and every regression input
// (`Fuzz/corpus/<target>/`, `Fuzz/regressions/<target>/`), so a fixed finding stays fixed.
//
// Targets whose reader takes a path get the bytes as a file in a private scratch folder
// (`FuzzScratch`, on /dev/shm when it exists): the safetensors reader maps files and SQLite opens
// files. The decode target reads its bytes in memory (`VideoReader(bytes:name:)`).
import Foundation

/// A fuzz target: a name and the function that takes one input.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable ([UInt8]) -> Void

    /// Every target, by name (`FuzzSafeTensors` runs `safetensors`, …).
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "safetensors", run: FuzzSafeTensorsTarget.run),
        FuzzTarget(name: "pipeline", run: FuzzPipelineTarget.run),
        FuzzTarget(name: "csv", run: FuzzCSVTarget.run),
        FuzzTarget(name: "catalog", run: FuzzCatalogTarget.run),
        FuzzTarget(name: "decode", run: FuzzDecodeTarget.run),
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}
