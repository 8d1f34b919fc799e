// Where vidact looks for its models folder (the CNN weights made by scripts/fetch-weights and
// imagenet_classes.txt) when neither `--models` nor a pipeline's `extract.models` names one. In
// order, the first folder that holds the file wanted wins:
//
//   1. $VIDACT_MODELS
//   2. `models` beside the pipeline file (for commands without one, in the current folder)
//   3. the user's data folder: $XDG_DATA_HOME/vidact/models (default ~/.local/share/vidact/models)
//   4. the installation's: PREFIX/share/vidact/models, PREFIX being the folder above the running
//      binary's `bin` (scripts/install puts them there)
//   5. the checkout the binary was built in: <checkout>/models when the binary is
//      <checkout>/.build/<configuration>/vidact (running from a source tree)
//
// When none holds it, callers fall back to (2), so the error names one file, and they list every
// place searched (`places`) so that the user sees where to put the models.
import Foundation

/// An ordered list of folders to search for model files.
public struct ModelSearch: Sendable, Equatable {
    /// A folder and why it is searched ("$VIDACT_MODELS", "beside the pipeline file", …).
    public struct Place: Sendable, Equatable {
        public var folder: String
        public var origin: String

        public init(folder: String, origin: String) {
            self.folder = folder
            self.origin = origin
        }
    }

    public var places: [Place]

    public init(places: [Place]) { self.places = places }

    /// The standard order for a pipeline file in `folder` (`besideOrigin` says what `folder` is for
    /// the messages: the pipeline's folder, or the current folder of a command without one).
    public static func standard(
        beside folder: String, besideOrigin: String = "beside the pipeline file",
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String? = runningExecutable()
    ) -> ModelSearch {
        var places: [Place] = []
        if let given = environment["VIDACT_MODELS"], !given.isEmpty {
            places.append(Place(folder: absolute(given), origin: "$VIDACT_MODELS"))
        }
        places.append(Place(folder: folder + "/models", origin: besideOrigin))
        places.append(Place(folder: userDataFolder(environment) + "/vidact/models", origin: "the user's data folder"))
        if let executable {
            let bin = (executable as NSString).deletingLastPathComponent
            let prefix = (bin as NSString).deletingLastPathComponent
            places.append(Place(folder: prefix + "/share/vidact/models", origin: "the installation (PREFIX/share)"))
            let configuration = (bin as NSString).deletingLastPathComponent
            if (configuration as NSString).lastPathComponent == ".build" {
                let checkout = (configuration as NSString).deletingLastPathComponent
                places.append(Place(folder: checkout + "/models", origin: "the checkout the binary was built in"))
            }
        }
        return ModelSearch(places: places)
    }

    /// The first place that holds `file` (a name such as efficientnet_lite0.safetensors), or nil.
    public func folder(holding file: String) -> String? {
        places.first { FileManager.default.fileExists(atPath: $0.folder + "/" + file) }?.folder
    }

    /// "looked in: A ($VIDACT_MODELS), B (beside the pipeline file), …" for error messages.
    public var summary: String {
        "looked in " + places.map { "\($0.folder) (\($0.origin))" }.joined(separator: ", ")
    }

    /// $XDG_DATA_HOME, or ~/.local/share.
    static func userDataFolder(_ environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share"
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The running binary's real path (/proc/self/exe, symlinks resolved), or nil.
    public static func runningExecutable() -> String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return nil
        }
        return path
    }
}
