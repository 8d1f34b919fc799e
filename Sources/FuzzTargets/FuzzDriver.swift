// The two ways a fuzz target runs in the `vidact-fuzz` executable, chosen at build time:
// - built by scripts/fuzz with `-sanitize=fuzzer,address -DFUZZING`: libFuzzer's driver
//   (`LLVMFuzzerRunDriver`, from the sanitizer runtime) runs the target named by
//   $VIDACT_FUZZ_TARGET with libFuzzer's own arguments (corpus folders, -max_total_time, …);
// - a normal build: `vidact-fuzz TARGET FILE|DIR...` runs the target once per input file and prints
//   how many it ran (a regression replay; the tests call `FuzzTarget.run` directly).
import Foundation

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

public enum FuzzDriver {
    /// The target libFuzzer runs ($VIDACT_FUZZ_TARGET), resolved once.
    nonisolated(unsafe) static var current: FuzzTarget?

    /// One libFuzzer input.
    public static func one(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let target = current, let data else { return 0 }
        target.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    #if FUZZING
        /// libFuzzer's main loop over the target named by $VIDACT_FUZZ_TARGET.
        public static func fuzz(
            _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
            _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
        ) -> CInt {
            let name = ProcessInfo.processInfo.environment["VIDACT_FUZZ_TARGET"] ?? ""
            guard let target = FuzzTarget.named(name) else {
                FileHandle.standardError.write(
                    Data("vidact-fuzz: set VIDACT_FUZZ_TARGET to one of \(targetNames)\n".utf8))
                return 2
            }
            current = target
            var count = argc
            var arguments = argv
            return LLVMFuzzerRunDriver(&count, &arguments, callback)
        }
    #endif

    /// `vidact-fuzz TARGET FILE|DIR...`: every file (folders one level deep) through the target.
    public static func replay(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 2, let target = FuzzTarget.named(arguments[0]) else {
            print("usage: vidact-fuzz TARGET FILE|DIR... (targets: \(targetNames)); scripts/fuzz builds the fuzzer")
            return 2
        }
        var count = 0
        for path in arguments.dropFirst() {
            let files =
                (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted().map { path + "/" + $0 } ?? [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        print("vidact-fuzz \(target.name): \(count) input(s) ran")
        return 0
    }

    static var targetNames: String { FuzzTarget.all.map(\.name).joined(separator: ", ") }
}
