// What a vidact process loads when it starts: not libavfilter, which `CAVFilter` opens with dlopen
// when motion estimation first needs it, since it and its ~60 dependencies slowed every start.
// (`FeaturesCommandTests.motionIsExtractedPlottedAndExported` runs motion estimation through the
// binary, so the late loading is exercised there.)
import TestSupport
import Testing

struct StartupTests {
    @Test func libavfilterIsNotLoadedAtStartUp() throws {
        let ldd = try runProcess("/usr/bin/ldd", [CLITests.binary])
        #expect(ldd.status == 0, "ldd: \(ldd.stderr)")
        #expect(ldd.stdout.contains("libavcodec"), "ldd lists the libraries the loader maps")
        #expect(!ldd.stdout.contains("libavfilter"), "\(ldd.stdout)")
    }
}
