// The models folder search: each place in the documented order wins over the ones after it, a
// folder without the file is passed over, and the summary names every place for the error.
import Basics
import Foundation
import TestSupport
import Testing

struct ModelSearchTests {
    @Test func placesAreSearchedInTheDocumentedOrder() throws {
        let dir = try TemporaryDirectory.make("model-search")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folders = [
            dir + "/env", dir + "/pipelines/models", dir + "/data/vidact/models", dir + "/prefix/share/vidact/models",
        ]
        for folder in folders {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("w".utf8).write(to: URL(fileURLWithPath: folder + "/weights.safetensors"))
        }
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        var environment = ["VIDACT_MODELS": dir + "/env", "XDG_DATA_HOME": dir + "/data", "HOME": dir + "/home"]
        let search = {
            ModelSearch.standard(
                beside: dir + "/pipelines", environment: environment, executable: dir + "/prefix/bin/vidact")
        }
        #expect(search().places.map(\.folder) == folders)
        // Each place wins until its file is gone.
        for (index, folder) in folders.enumerated() {
            #expect(search().folder(holding: "weights.safetensors") == folder, "place \(index)")
            try FileManager.default.removeItem(atPath: folder + "/weights.safetensors")
        }
        #expect(search().folder(holding: "weights.safetensors") == nil)
        for folder in folders { #expect(search().summary.contains(folder)) }
        // No $VIDACT_MODELS and no XDG_DATA_HOME: ~/.local/share/vidact/models.
        environment = ["HOME": dir + "/home"]
        #expect(
            search().places.map(\.folder).prefix(2) == [
                dir + "/pipelines/models", dir + "/home/.local/share/vidact/models",
            ])
    }

    @Test func aBinaryInACheckoutAlsoSearchesTheCheckoutsModels() {
        let search = ModelSearch.standard(
            beside: "/p", environment: [:], executable: "/src/vidact/.build/release/vidact")
        #expect(search.places.last?.folder == "/src/vidact/models")
        let installed = ModelSearch.standard(beside: "/p", environment: [:], executable: "/usr/local/bin/vidact")
        #expect(installed.places.last?.folder == "/usr/local/share/vidact/models")
    }
}
