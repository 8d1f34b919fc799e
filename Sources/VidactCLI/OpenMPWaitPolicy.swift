// Makes oneDNN's OpenMP threads sleep instead of spin while they wait for work, by re-executing
// vidact once with OMP_WAIT_POLICY=PASSIVE when the user has not chosen a policy. libgomp reads
// the variable when it is loaded, before `main` runs, hence the exec instead of a setenv.
//
// Why: with the default (active) policy, the GEMM threads spin between parallel regions and take
// the cores from everything else in the process: decoder threads during extraction, the serial
// parts of an LSTM step (dropout, activations) during training. Measured on the 2-core machine
// with other work running (load ~4): `features extract` of 40 clips × 8 frames took 6.2–6.8 s
// passive against 15–23 s active; one frames-task training epoch 2.7 s against 29 s.

import Foundation

enum OpenMPWaitPolicy {
    static let variable = "OMP_WAIT_POLICY"

    /// Subcommands that never run oneDNN. They skip the exec, whose second process start and
    /// dynamic linking cost ~80 ms: 5 % of decoding a 10 s 720p clip (`vidact decode`).
    static let subcommandsWithoutOpenMP: Set<String> = ["probe", "frames", "decode"]

    /// Re-executes the process with the passive policy unless the variable is set already (by
    /// the user, or by this function before the exec) or the subcommand does not use OpenMP.
    /// Returns normally when no exec happened.
    static func applyPassiveDefault() {
        guard ProcessInfo.processInfo.environment[variable] == nil else { return }
        let arguments = CommandLine.arguments
        if arguments.count > 1 && subcommandsWithoutOpenMP.contains(arguments[1]) { return }
        setenv(variable, "PASSIVE", 1)
        // On failure (no /proc), go on with the default policy: slower under load, same results.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
