// The `vidact` command: subcommands, and the mapping of failures to documented exit statuses
// (0 success, 1 some inputs failed, 2 usage error).
import ArgumentParser
import Basics
import Foundation
import Pipeline
import VideoDecoding

struct Vidact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vidact",
        abstract: "Turn folders of videos into activity labels.",
        discussion: """
            Exit status: 0 when everything succeeded, 1 when some inputs failed, 2 on usage or configuration errors,
            3 when `vidact run` finds its workdir locked by another run, 130/143 when interrupted.
            """,
        version: VidactVersion.string,
        subcommands: [
            ProbeCommand.self, FramesCommand.self, ClassifyCommand.self, FeaturesCommand.self, TrainCommand.self,
            PredictCommand.self, EvaluateCommand.self, RunCommand.self, PlanCommand.self, DumpConfigCommand.self,
            ExportCommand.self, RunsCommand.self, ReportCommand.self, CatalogCommand.self, ScheduleCommand.self,
            DatasetCommand.self, ScoreCaptionsCommand.self, CalibrateCommand.self, Int8CheckCommand.self,
            DecodeCommand.self, CNNBenchCommand.self, LSTMBenchCommand.self, CaptionBenchCommand.self,
        ]
    )
}

enum VidactVersion {
    static let string = "0.1.0"
}

/// Thrown by a subcommand when some inputs failed and were reported; maps to exit status 1.
struct SomeInputsFailed: Error {}

@main
enum Main {
    static func main() {
        OpenMPWaitPolicy.applyPassiveDefault()
        MallocTuning.apply()
        FFmpegLog.setLevel(.quiet)
        do {
            var command = try Vidact.parseAsRoot()
            try command.run()
        } catch is SomeInputsFailed {
            exit(1)
        } catch let error as VidactError {
            printError("vidact: \(error)")
            exit(error.exitStatus)
        } catch {
            let code = Vidact.exitCode(for: error)
            if code == .success {
                Vidact.exit(withError: error)
            }
            printError(Vidact.fullMessage(for: error))
            // ArgumentParser reports usage errors as 64; vidact documents 2.
            exit(code == .validationFailure ? 2 : code.rawValue == 64 ? 2 : 1)
        }
    }
}

func printError(_ text: String, newline: Bool = true) {
    // Paths whose names are not UTF-8 are shown with U+FFFD (FileName.display).
    FileHandle.standardError.write(Data((FileName.display(text) + (newline ? "\n" : "")).utf8))
}
