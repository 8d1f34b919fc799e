// The three real photos the CNN tests classify (scikit-image's chelsea, coffee, rocket), as the
// 224x224 RGB24 crops that scripts/fetch-test-photos (run by scripts/bootstrap) writes into the
// git-ignored models/test-photos/. They are not committed: a missing file is a test failure that
// says how to make it, never a silent skip.
import Foundation
import SafeTensors

enum TestPhotos {
    /// In the order of the committed PyTorch reference outputs.
    static let names = ["chelsea", "coffee", "rocket"]
    static let path = NaiveEfficientNetTests.root.appendingPathComponent("models/test-photos/photos_224.safetensors")
        .path

    /// The photo the run could not find, and what to do about it.
    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is missing: run scripts/bootstrap (or scripts/fetch-test-photos) to fetch the test photos"
        }
    }

    /// Photo `index` (0 chelsea, 1 coffee, 2 rocket): 224·224·3 bytes, rows top to bottom.
    static func picture(_ index: Int) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return try SafeTensorsFile(path: path).array(names[index], as: UInt8.self)
    }
}
