// `vidact dataset …`: make datasets. Today `synth` (rendered activity clips with known labels).
import ArgumentParser

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Make datasets.",
        subcommands: [DatasetSynthCommand.self]
    )
}
