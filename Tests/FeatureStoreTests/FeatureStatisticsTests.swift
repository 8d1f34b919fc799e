// Inspection numbers on hand-worked volumes, and the .npy export read back by NumPy.
import FeatureStore
import Foundation
import TensorCore
import TestSupport
import Testing

struct FeatureStatisticsTests {
    @Test func handWorkedVolume() {
        // Rows (3, 4), (3, 4), (0, 5), (0, 0): norms 5, 5, 5, 0; cosines 1, 4/5·… = (0·3+5·4)/25 = 0.8,
        // then 0 (zero vector). Means (1.5, 3.25); stds: dim 0 √(9·2/4 − 2.25) = 1.5, dim 1 √((16+16+25)/4 − 10.5625).
        var volume = StoreFixtures.volume(t: 4, d: 2)
        volume.features = Tensor(shape: [4, 2], storage: [3, 4, 3, 4, 0, 5, 0, 0])
        volume.timestamps = [0, 0.5, 1.5, 2]
        let stats = FeatureStatistics(volume)
        #expect(stats.norms == [5, 5, 5, 0])
        #expect(abs(stats.similarity[0] - 1) < 1e-12 && abs(stats.similarity[1] - 0.8) < 1e-12)
        #expect(stats.similarity[2] == 0)
        #expect(stats.dimensionMeans == [1.5, 3.25])
        #expect(abs(stats.dimensionStds[0] - 1.5) < 1e-12)
        #expect(abs(stats.dimensionStds[1] - (57.0 / 4 - 3.25 * 3.25).squareRoot()) < 1e-12)
        #expect(stats.spacing! == (0.5, 0.5, 1.0))
        #expect(stats.nonFinite == 0)
        #expect(stats.sharpestChanges(1)[0].index == 2)
        #expect(FeatureStatistics.sparkline([1, 0.8, 0], range: 0...1) == "█▇▁")
    }

    @Test func nonFiniteValuesAreCounted() {
        var volume = StoreFixtures.volume(t: 2, d: 2)
        volume.features = Tensor(shape: [2, 2], storage: [1, .nan, .infinity, 2])
        #expect(FeatureStatistics(volume).nonFinite == 2)
    }

    @Test func npyFilesReadBackInNumPy() throws {
        let dir = try StoreFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let volume = StoreFixtures.volume(t: 3, d: 4)
        try NPYFile.write(
            bytes: NPYFile.bytes(volume.features.storage), descr: "<f4", shape: [3, 4], to: dir + "/f.npy")
        try NPYFile.write(bytes: NPYFile.bytes(volume.frameIndices), descr: "<i8", shape: [3], to: dir + "/i.npy")
        let script = """
            import numpy as np
            f = np.load('\(dir)/f.npy'); i = np.load('\(dir)/i.npy')
            print(f.dtype, f.shape, i.dtype, i.shape, repr(float(f[2, 3])), [int(x) for x in i])
            """
        let result = try runProcess("python3", ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        let last = Double(volume.features[2, 3])
        #expect(result.stdout == "float32 (3, 4) int64 (3,) \(last) [0, 15, 30]\n", "\(result.stdout)")
    }
}
