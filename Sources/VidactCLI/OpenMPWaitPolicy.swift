// Makes oneDNN's OpenMP threads sleep instead of spin while they wait for work, by re-executing
// vidact once with OMP_WAIT_POLICY=PASSIVE when the user has not chosen a policy. libgomp reads
// the variable when it is loaded, before `main` runs, hence the exec instead of a setenv.
//
// Why: with the default (active) policy, the GEMM threads spin between parallel regions and take
// the cores from everything else in the process: decoder threads during extraction, the serial
// parts of an LSTM step (dropout, activations) during training. Measured on the 2-core machine
// with other work running (load ~4): `features extract` of 40 clips × 8 frames took 6.2–6.8 s
// passive against 15–23 s active; one frames-task training epoch 2.7 s against 29 s.

import ArgumentParser
import Foundation

enum OpenMPWaitPolicy {
    static let variable = "OMP_WAIT_POLICY"

    /// Subcommands that keep libgomp's default (spin a while, then sleep) and skip the exec, whose
    /// second process start and dynamic linking cost ~80 ms: 5 % of decoding a 10 s 720p clip (43 ms
    /// since libavfilter is no longer linked: `perf stat -r 20 vidact --version`, 80 against 43 ms
    /// with OMP_WAIT_POLICY set).
    /// - `probe`, `frames`, `decode` never run oneDNN.
    /// - `cnn-bench` and `classify` run the CNN with nothing else on the cores (`classify` decodes
    ///   a video's frames first, then runs the CNN), so spinning takes nothing from other work. On
    ///   the idle 2-core machine the two policies are within the noise (`cnn-bench --batch 16`:
    ///   119–135 images/s default, 114–130 passive), so what this buys is the skipped exec, and the
    ///   same policy as PyTorch and ONNX Runtime, which `scripts/bench/cnn` compares with.
    static let subcommandsKeepingDefault: Set<String> = Set(
        ([ProbeCommand.self, FramesCommand.self, DecodeCommand.self, CNNBenchCommand.self, ClassifyCommand.self]
            as [any ParsableCommand.Type]).map { $0._commandName })

    /// Whether `vidact` started with `arguments` and `environment` must re-execute itself: not when
    /// the variable is set already (by the user, or by the exec itself) or the subcommand keeps the
    /// default.
    static func needsPassiveExec(arguments: [String], environment: [String: String]) -> Bool {
        guard environment[variable] == nil else { return false }
        return !(arguments.count > 1 && subcommandsKeepingDefault.contains(arguments[1]))
    }

    /// Re-executes the process with the passive policy when `needsPassiveExec` says so. Returns
    /// normally when no exec happened.
    static func applyPassiveDefault() {
        guard needsPassiveExec(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
        else { return }
        setenv(variable, "PASSIVE", 1)
        // On failure (no /proc), go on with the default policy: slower under load, same results.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
