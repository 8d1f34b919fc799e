import Foundation
import TensorCore
// The synthetic renderer: within each pair, clip i of the reversed class is exactly the forward
// clip's frames in reverse order (so only order tells them apart), the activity really changes the
// picture, and the same seed draws the same scene.
import Testing

@testable import SyntheticData

struct SyntheticSceneTests {
    static let (width, height, frames) = (48, 36, 10)

    @Test(arguments: SyntheticActivity.pairs.map(\.forward))
    func thePartnerHasTheSameFramesReversed(forward: SyntheticActivity) {
        let reversed = forward.partner
        #expect(reversed.isReversed && !forward.isReversed && reversed.forward == forward)
        var rng = SeededRNG(seed: 42 + UInt64(forward.pairIndex))
        let scene = SyntheticScene(activity: forward, rng: &rng)
        let ahead = scene.frames(of: forward, count: Self.frames, width: Self.width, height: Self.height)
        let back = scene.frames(of: reversed, count: Self.frames, width: Self.width, height: Self.height)
        #expect(ahead.count == Self.frames && back.count == Self.frames)
        for k in 0..<min(ahead.count, back.count) {
            let same = back[k] == ahead[Self.frames - 1 - k]
            #expect(same, "\(reversed.name) frame \(k) differs from \(forward.name) frame \(Self.frames - 1 - k)")
        }
        // Not a palindrome: the start and end states differ clearly, so the order carries the label.
        let change = meanAbsoluteDifference(ahead[0], ahead[Self.frames - 1])
        #expect(change > 8, "\(forward.name): first and last frames differ by only \(change) per byte")
    }

    @Test func theSameSeedDrawsTheSameSceneAndAnotherSeedAnotherOne() {
        func first(_ seed: UInt64) -> [UInt8] {
            var rng = SeededRNG(seed: seed)
            return SyntheticScene(activity: .grow, rng: &rng).forwardFrames(count: 2, width: 32, height: 24)[1]
        }
        let (a, b, c) = (first(7), first(7), first(8))
        let same = a == b
        let different = a != c
        #expect(same)
        #expect(different)
    }

    @Test func pairsCoverEveryClassOnce() {
        let names = SyntheticActivity.pairs.flatMap { [$0.forward.name, $0.reversed.name] }
        #expect(names == SyntheticActivity.allCases.map(\.name))
        #expect(SyntheticActivity.pairs.count >= 5)
        for activity in SyntheticActivity.allCases { #expect(activity.partner.partner == activity) }
    }

    func meanAbsoluteDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }
}
