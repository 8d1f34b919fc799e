// Helpers shared by the catalog tests: a fresh temporary workdir, and sample records.
import Catalog
import Foundation
import TestSupport

enum CatalogTestSupport {
    /// A new empty folder under the system temporary folder.
    static func temporaryDirectory() throws -> String { try TemporaryDirectory.make("catalog") }

    /// A fixed moment, so that dates round-trip exactly (the catalog stores milliseconds).
    static let t0 = Date(timeIntervalSince1970: 1_750_000_000.125)

    static func identity(_ size: Int64, inode: UInt64 = 42) -> VideoIdentity {
        VideoIdentity(size: size, mtimeNanoseconds: 1_700_000_000_123_456_789, inode: inode, device: UInt64.max - 1)
    }

    static func item(
        _ runID: String, _ unit: String, _ status: ItemStatus, step: PipelineStep = .extract, at offset: Double = 0
    ) -> RunItemRecord {
        RunItemRecord(
            runID: runID, step: step, unit: unit, status: status, errorKind: status == .failed ? "decode" : nil,
            errorMessage: status == .failed ? "\(unit): invalid data found" : nil,
            startedAt: t0.addingTimeInterval(offset), seconds: 1.5, decodedFrames: 100, headerFrames: 101)
    }
}

/// A value shared between threads of a test, behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
