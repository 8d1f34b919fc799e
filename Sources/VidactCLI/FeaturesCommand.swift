// `vidact features …`: extract feature volumes for folders of videos and look at what is cached.
import ArgumentParser

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Extract, list, inspect, export and garbage-collect cached feature volumes.",
        subcommands: [
            FeaturesExtractCommand.self, FeaturesListCommand.self, FeaturesInspectCommand.self,
            FeaturesExportCommand.self, FeaturesGCCommand.self,
        ]
    )
}

/// `--workdir`, shared by the features subcommands.
struct WorkdirOption: ParsableArguments {
    @Option(help: "Working folder holding features/, state/ and quarantine/.")
    var workdir: String = "work"
}
