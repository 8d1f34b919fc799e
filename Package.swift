// swift-tools-version:6.0
// vidact: folders of videos in, activity labels out. Module layering is described in DESIGN.md;
// each target lists only what its layer may import.
import PackageDescription

let package = Package(
    name: "vidact",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vidact", targets: ["VidactCLI"]),
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
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        // oneDNN 2.6 (libdnnl-dev); Debian ships no .pc file, so the module map links "dnnl" by name.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // Layer 1.
        .target(name: "Basics", exclude: ["README.md"]),
        .target(name: "VideoDecoding", dependencies: ["CFFmpeg", "Basics"], exclude: ["README.md"]),
        .target(name: "TensorCore", exclude: ["README.md"]),
        // Layer 2.
        .target(name: "SafeTensors", dependencies: ["TensorCore", "Basics"], exclude: ["README.md"]),
        .target(name: "DNNL", dependencies: ["CDNNL", "TensorCore", "Basics"], exclude: ["README.md"]),
        // Layer 3.
        .target(name: "ConvNets", dependencies: ["DNNL", "SafeTensors", "TensorCore", "Basics"], exclude: ["README.md"]),
        .target(name: "SequenceModels", dependencies: ["DNNL", "SafeTensors", "TensorCore", "Basics"], exclude: ["README.md"]),
        .target(
            name: "FeatureStore",
            dependencies: ["SafeTensors", "TensorCore", "Basics", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["README.md"]
        ),
        .target(name: "Catalog", dependencies: ["Basics", .product(name: "GRDB", package: "GRDB.swift")], exclude: ["README.md"]),
        // Layer 4: execution (feature extraction now; the pipeline runner later).
        .target(
            name: "Pipeline",
            dependencies: [
                "VideoDecoding", "ConvNets", "FeatureStore", "SequenceModels", "Catalog", "SafeTensors", "TensorCore",
                "Basics", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // Layer 5: the executable.
        .executableTarget(
            name: "VidactCLI",
            dependencies: [
                "Pipeline", "VideoDecoding", "ConvNets", "FeatureStore", "SequenceModels", "TensorCore", "SafeTensors",
                "Catalog", "Basics", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        // Helpers shared by test targets (running the oracle CLIs); not part of vidact.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "VideoDecodingTests", dependencies: ["VideoDecoding", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "VidactCLITests",
            dependencies: ["VidactCLI", "Catalog", "FeatureStore", "SafeTensors", "TensorCore", "TestSupport"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"]),
        .testTarget(
            name: "ConvNetsTests", dependencies: ["ConvNets", "SafeTensors", "TensorCore"], exclude: ["Fixtures"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors", "TensorCore"], exclude: ["Fixtures"]),
        .testTarget(name: "DNNLTests", dependencies: ["DNNL", "TensorCore"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Catalog", "FeatureStore", "SequenceModels", "VideoDecoding", "ConvNets", "TensorCore",
                "TestSupport", .product(name: "Yams", package: "Yams"),
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
