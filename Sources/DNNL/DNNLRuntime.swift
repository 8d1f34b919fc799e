// Which oneDNN this is and how many threads it uses. Debian's oneDNN 2.6.3 is built with the
// OpenMP CPU runtime (GNU libgomp; `DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP` in dnnl_config.h), so the
// thread count is OpenMP's:
// - `OMP_NUM_THREADS=n` in the environment before the process starts sets it for every thread
//   (libgomp reads it once, when it is loaded; setting it later with setenv has no effect);
// - `setThreadCount(n)` calls libgomp's `omp_set_num_threads(n)`, which in OpenMP sets the count
//   for parallel regions started *from the calling thread only* (each other thread keeps the
//   process default). Call it on the thread that creates and runs the primitives, before creating
//   them: oneDNN sizes its JIT work split by the thread count at creation.
// oneDNN 2.x has no C call of its own for this under OpenMP, and libgomp is only a dependency of
// libdnnl, not of vidact, so the two OpenMP functions are looked up at run time with dlsym.
import CDNNL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Darwin)
    /// `RTLD_DEFAULT`: search every loaded library.
    private var everyLoadedLibrary: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: -2) }
#else
    /// `RTLD_DEFAULT` (a null handle on glibc and musl): search every loaded library.
    private var everyLoadedLibrary: UnsafeMutableRawPointer? { nil }
#endif

/// Version, threading runtime and thread count of the loaded oneDNN.
public enum DNNLRuntime {
    /// The CPU threading runtime oneDNN was built with.
    public enum CPURuntime: String, Sendable {
        case sequential, openMP, tbb, threadpool, sycl, unknown
    }

    /// The loaded library's version, e.g. "2.6.3".
    public static var version: String {
        guard let version = dnnl_version() else { return "unknown" }
        return "\(version.pointee.major).\(version.pointee.minor).\(version.pointee.patch)"
    }

    /// The CPU runtime of the loaded library (`dnnl_version()->cpu_runtime`).
    public static var cpuRuntime: CPURuntime {
        guard let version = dnnl_version() else { return .unknown }
        switch UInt32(version.pointee.cpu_runtime) {
        case UInt32(DNNL_RUNTIME_SEQ): return .sequential
        case UInt32(DNNL_RUNTIME_OMP): return .openMP
        case UInt32(DNNL_RUNTIME_TBB): return .tbb
        case UInt32(DNNL_RUNTIME_THREADPOOL): return .threadpool
        case UInt32(DNNL_RUNTIME_SYCL): return .sycl
        default: return .unknown
        }
    }

    /// Whether oneDNN runs AVX-512 kernels here (`dnnl_get_effective_cpu_isa`: the CPU's, capped by
    /// `ONEDNN_MAX_CPU_ISA`).
    public static var usesAVX512: Bool {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        return isa & dnnl_cpu_isa_avx512_core.rawValue == dnnl_cpu_isa_avx512_core.rawValue
    }

    /// Whether oneDNN's int8 kernels here multiply with AVX-512 VNNI's vpdpbusd (u8 × s8 summed into
    /// s32), rather than AVX2's vpmaddubsw, whose s16 pair sums saturate.
    public static var usesVNNI: Bool {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        return isa & dnnl_cpu_isa_avx512_core_vnni.rawValue == dnnl_cpu_isa_avx512_core_vnni.rawValue
    }

    /// OpenMP's thread count for parallel regions started from the calling thread
    /// (`omp_get_max_threads`), or nil when the runtime is not OpenMP.
    public static var threadCount: Int? {
        guard let getMaxThreads = openMP.getMaxThreads else { return nil }
        return Int(getMaxThreads())
    }

    /// libgomp's two functions, looked up once: `setThreadCount` runs before every CNN batch of
    /// extraction (the thread count is per calling thread), and a dlsym walks every loaded library.
    private static let openMP:
        (getMaxThreads: (@convention(c) () -> Int32)?, setNumThreads: (@convention(c) (Int32) -> Void)?) = {
            guard cpuRuntime == .openMP else { return (nil, nil) }
            return (
                dlsym(everyLoadedLibrary, "omp_get_max_threads").map {
                    unsafeBitCast($0, to: (@convention(c) () -> Int32).self)
                },
                dlsym(everyLoadedLibrary, "omp_set_num_threads").map {
                    unsafeBitCast($0, to: (@convention(c) (Int32) -> Void).self)
                }
            )
        }()

    /// Sets OpenMP's thread count for oneDNN work started from the calling thread
    /// (`omp_set_num_threads`); returns false, changing nothing, when the runtime is not OpenMP.
    /// See the file comment for what this does and does not reach.
    @discardableResult
    public static func setThreadCount(_ count: Int) -> Bool {
        precondition(count > 0, "DNNLRuntime.setThreadCount: \(count) threads")
        guard let setNumThreads = openMP.setNumThreads else { return false }
        setNumThreads(Int32(count))
        return true
    }
}
