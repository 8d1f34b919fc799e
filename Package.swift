// swift-tools-version:6.0
// vidact: folders of videos in, activity labels out. Module layering is described in DESIGN.md;
// each target lists only what its layer may import.
import PackageDescription

let package = Package(
    name: "vidact",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vidact", targets: ["VidactCLI"]),
        // The fuzz targets (scripts/fuzz builds it with libFuzzer; a normal build replays inputs).
        .executable(name: "vidact-fuzz", targets: ["VidactFuzz"]),
        .library(name: "VideoDecoding", targets: ["VideoDecoding"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Layer 0: C system libraries.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libswscale libavutil",
            providers: [
                .apt(["libavformat-dev", "libavfilter-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])
            ]
        ),
        // oneDNN 2.6 (libdnnl-dev); Debian ships no .pc file, so the module map links "dnnl" by name.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // Elementwise kernels in C for AVX2 + FMA, chosen at run time (Swift builds for baseline x86-64).
        .target(name: "CKernels", exclude: ["README.md"]),
        // libavfilter (headers from libavfilter-dev, above), opened with dlopen when motion estimation
        // first needs it rather than linked: its ~60 dependencies slowed every process start.
        .target(name: "CAVFilter", exclude: ["README.md"]),
        // Layer 1.
        .target(name: "Basics", exclude: ["README.md"]),
        .target(name: "VideoDecoding", dependencies: ["CFFmpeg", "CAVFilter", "Basics"], exclude: ["README.md"]),
        .target(name: "TensorCore", exclude: ["README.md"]),
        // Layer 2.
        .target(name: "SafeTensors", dependencies: ["TensorCore", "Basics"], exclude: ["README.md"]),
        .target(name: "DNNL", dependencies: ["CDNNL", "TensorCore", "Basics"], exclude: ["README.md"]),
        // Layer 3.
        .target(
            name: "ConvNets",
            dependencies: [
                "DNNL", "SafeTensors", "TensorCore", "Basics", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]),
        .target(
            name: "SequenceModels", dependencies: ["CKernels", "DNNL", "SafeTensors", "TensorCore", "Basics"],
            exclude: ["README.md"]),
        .target(name: "TextMetrics", dependencies: ["Basics"], exclude: ["README.md"]),
        .target(
            name: "FeatureStore",
            dependencies: ["SafeTensors", "TensorCore", "Basics", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"]
        ),
        .target(
            name: "Catalog", dependencies: ["Basics", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["README.md"]),
        // Layer 2: encoding beside decoding.
        .target(name: "VideoEncoding", dependencies: ["CFFmpeg", "VideoDecoding", "Basics"], exclude: ["README.md"]),
        // Layer 4: datasets, extraction, training, synthetic data, scheduling (no layer-4 module imports
        // another, except Training -> Datasets).
        .target(
            name: "Datasets",
            dependencies: [
                "FeatureStore", "SequenceModels", "Basics", .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]),
        .target(
            name: "Extraction",
            dependencies: [
                "VideoDecoding", "ConvNets", "DNNL", "FeatureStore", "SafeTensors", "TensorCore", "Basics",
            ],
            exclude: ["README.md"]),
        .target(
            name: "Training",
            dependencies: [
                "Datasets", "FeatureStore", "SequenceModels", "TextMetrics", "SafeTensors", "TensorCore", "Basics",
            ],
            exclude: ["README.md"]),
        .target(
            name: "SyntheticData",
            dependencies: ["VideoDecoding", "VideoEncoding", "SafeTensors", "TensorCore", "TextMetrics", "Basics"],
            exclude: ["README.md"]),
        .target(
            name: "Scheduling", dependencies: ["Catalog", "Basics", .product(name: "Yams", package: "Yams")],
            exclude: ["README.md"]),
        // Layer 5: the pipeline (config, planner, runner, lock, run log).
        .target(
            name: "Pipeline",
            dependencies: [
                "Datasets", "Extraction", "Training", "VideoDecoding", "ConvNets", "FeatureStore", "SequenceModels",
                "TextMetrics", "Catalog", "SafeTensors", "TensorCore", "Basics",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // Layer 6: run reports and feature plots.
        .target(
            name: "Reports",
            dependencies: [
                "Pipeline", "Datasets", "Training", "VideoDecoding", "VideoEncoding", "FeatureStore", "SequenceModels",
                "Catalog", "SafeTensors", "TensorCore", "Basics",
            ],
            exclude: ["README.md"]),
        // Layer 7: the executable.
        .executableTarget(
            name: "VidactCLI",
            dependencies: [
                "Pipeline", "Reports", "Datasets", "Extraction", "Training", "SyntheticData", "Scheduling",
                "VideoDecoding", "VideoEncoding", "ConvNets", "FeatureStore", "SequenceModels", "TextMetrics",
                "TensorCore", "SafeTensors", "Catalog", "Basics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        // Fuzz targets of the parsers (layer 7, beside the CLI) and their executable.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "Pipeline", "Datasets", "FeatureStore", "SafeTensors", "Catalog", "VideoDecoding", "Basics",
            ],
            exclude: ["README.md"]),
        .executableTarget(name: "VidactFuzz", dependencies: ["FuzzTargets"], exclude: ["README.md"]),
        // Helpers shared by test targets (running the oracle CLIs); not part of vidact.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // A tiny cached-feature workdir for the sequence-model glue (TrainingTests, VidactCLITests).
        .target(
            name: "SequenceFixtures", dependencies: ["FeatureStore", "TensorCore"], path: "Tests/SequenceFixtures"),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Training", "Datasets", "SequenceModels", "FeatureStore", "TensorCore", "Basics", "SequenceFixtures",
            ]),
        .testTarget(name: "VideoDecodingTests", dependencies: ["VideoDecoding", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "VideoEncodingTests", dependencies: ["VideoEncoding", "VideoDecoding", "Basics", "TestSupport"]),
        .testTarget(
            name: "VidactCLITests",
            dependencies: [
                "VidactCLI", "Catalog", "FeatureStore", "SafeTensors", "TensorCore", "Basics", "TestSupport",
                "SequenceFixtures",
            ]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "FeatureStore"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
        .testTarget(name: "TextMetricsTests", dependencies: ["TextMetrics"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ConvNetsTests", dependencies: ["ConvNets", "SafeTensors", "TensorCore", "Basics", "DNNL"],
            exclude: ["Fixtures"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TensorCore"], exclude: ["Fixtures"]),
        .testTarget(name: "DNNLTests", dependencies: ["DNNL", "TensorCore"]),
        .testTarget(
            name: "DatasetsTests", dependencies: ["Datasets", "Pipeline", "SequenceModels", "Basics", "TestSupport"]),
        .testTarget(
            name: "ExtractionTests",
            dependencies: [
                "Extraction", "VideoDecoding", "ConvNets", "DNNL", "FeatureStore", "SafeTensors", "TensorCore",
                "Basics",
                "TestSupport",
            ], exclude: ["Fixtures"]),
        .testTarget(
            name: "SyntheticDataTests",
            dependencies: [
                "SyntheticData", "Datasets", "VideoDecoding", "VideoEncoding", "TextMetrics", "TensorCore",
                "TestSupport",
            ]),
        .testTarget(
            name: "SchedulingTests",
            dependencies: [
                "Scheduling", "Catalog", "Basics", "TestSupport", .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Pipeline", "Datasets", "Training", "Catalog", "FeatureStore", "SequenceModels",
                "VideoDecoding", "VideoEncoding", "TensorCore", "Basics", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Datasets", "Extraction", "Training", "Catalog", "FeatureStore", "SequenceModels",
                "VideoDecoding", "ConvNets", "TensorCore", "Basics", "TestSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ], exclude: ["Fixtures"]),
        .testTarget(
            name: "FeatureStoreTests", dependencies: ["FeatureStore", "SafeTensors", "TensorCore", "TestSupport"]),
        .testTarget(
            name: "CatalogTests",
            dependencies: ["Catalog", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "SequenceModelsTests", dependencies: ["SequenceModels", "SafeTensors", "TensorCore"],
            exclude: ["Fixtures"]),
    ]
)
