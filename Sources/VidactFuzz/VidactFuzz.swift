// The `vidact-fuzz` executable: libFuzzer entry points when built by scripts/fuzz (-DFUZZING), a
// replayer of input files otherwise (see FuzzTargets/FuzzDriver). SwiftPM links an executable with
// `main` defined as `<module>_main`, while the fuzzer runtime brings libFuzzer's own `main`, so
// scripts/fuzz links with --allow-multiple-definition and both roads lead to the same target.
import Foundation
import FuzzTargets

#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzDriver.one(data, size)
    }

    @_cdecl("VidactFuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
        FuzzDriver.fuzz(argc, argv, fuzzOne)
    }
#else
    @main struct Replay {
        static func main() {
            exit(FuzzDriver.replay(Array(CommandLine.arguments.dropFirst())))
        }
    }
#endif
