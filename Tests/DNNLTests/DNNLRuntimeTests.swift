// The loaded oneDNN: version 2.x with the OpenMP CPU runtime (Debian's build), and the OpenMP
// thread count of the calling thread set and read back through libgomp.
import DNNL
import Testing

struct DNNLRuntimeTests {
    @Test func debianOneDNNIsTwoPointXOnOpenMP() {
        #expect(DNNLRuntime.version.hasPrefix("2."))
        #expect(DNNLRuntime.cpuRuntime == .openMP)
    }

    @Test func threadCountOfTheCallingThread() throws {
        let before = try #require(DNNLRuntime.threadCount)
        defer { DNNLRuntime.setThreadCount(before) }
        #expect(DNNLRuntime.setThreadCount(1))
        #expect(DNNLRuntime.threadCount == 1)
        #expect(DNNLRuntime.setThreadCount(3))
        #expect(DNNLRuntime.threadCount == 3)
    }
}
