// swift-tools-version: 6.2
import PackageDescription

// One target per pipeline stage: capture → packets → flows → protocol parsers →
// dissection (facts) → rules (findings) → reporters. The engine is a library
// (WirecheckKit); the executable holds only the command-line layer.
let strictSettings: [SwiftSetting] = [
    .enableExperimentalFeature("Lifetimes"),
    .enableUpcomingFeature("ExistentialAny"),
]
// The per-packet path (reader, decoder, flows, analyzers, parsers) runs its
// dynamic exclusivity checks in debug builds, where the tests run; in release
// they cost ~8% of the analysis (swift_beginAccess on every class property
// touched per packet) and are left out (allowed: this is the root package).
let hotPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "wirecheck",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wirecheck", targets: ["wirecheck"]),
        .library(name: "WirecheckKit", targets: ["WirecheckKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "WireBytes", swiftSettings: hotPathSettings),
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .target(name: "Capture", dependencies: ["WireBytes", "CPcap", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: hotPathSettings),
        .target(name: "PacketDecoding", dependencies: ["WireBytes"], swiftSettings: hotPathSettings),
        .target(name: "Flows", dependencies: ["PacketDecoding", "WireBytes"], swiftSettings: hotPathSettings),
        // Value types for what a certificate and a handshake showed, apart from their parsers,
        // so facts, rules and reports depend on no parser.
        .target(name: "CertificateModel", swiftSettings: strictSettings),
        .target(name: "TLSModel", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .target(name: "ProtocolX509", dependencies: [
            "WireBytes", "CertificateModel",
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strictSettings),
        .target(name: "ProtocolTLS", dependencies: [
            "WireBytes", "TLSModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: hotPathSettings),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
        // zlib and brotli decoding with output caps, for HTTP bodies and for blobs inside fields.
        .target(name: "WireCodings", dependencies: ["CZlib", "CBrotli"], swiftSettings: strictSettings),
        // SIMD byte classification for the PI scanner's hot paths (SSE2 on x86-64, scalar elsewhere,
        // static inline in its header so Swift inlines them into the scanner's loops; AVX2 versions
        // of the leaf verdict and loud-byte mask chosen at run time on CPUs that have it).
        .target(name: "CScanKernels"),
        // Personal-information detectors: validators, decoders, device identifiers.
        .target(name: "Detectors", dependencies: [
            "Facts", "WireBytes", "WireCodings", "CScanKernels",
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        // The scanner's hot loop touches its own per-call state only; the dynamic
        // exclusivity checks cost ~15% of scan time (allowed: this is the root package).
        swiftSettings: strictSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "ProtocolHTTP", dependencies: ["WireBytes", "WireCodings"], swiftSettings: hotPathSettings),
        .target(name: "ProtocolDNS", dependencies: ["WireBytes"], swiftSettings: hotPathSettings),
        // What the engine learns, free of parser types: flows, handshakes, HTTP messages, DNS
        // answers, PI sightings, anomalies, and the event stream that carries them.
        .target(name: "Facts", dependencies: ["WireBytes", "PacketDecoding", "Flows", "TLSModel", "CertificateModel"],
                swiftSettings: strictSettings),
        // Protocol analyzers behind one protocol and a registry, and the dissector that feeds them.
        .target(name: "Analyzers", dependencies: [
            "Facts", "Flows", "PacketDecoding", "ProtocolTLS", "ProtocolX509", "TLSModel", "CertificateModel",
            "ProtocolHTTP", "ProtocolDNS", "Detectors", "WireBytes",
            .product(name: "Crypto", package: "swift-crypto"),
            // AES as a single-block permutation: QUIC header protection (RFC 9001 §5.4.3).
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: hotPathSettings),
        // Third parties as data: the SDK catalogue and its matcher, the app's declared sharing
        // list (xlsx, csv, yaml, json) and its vocabulary, the app types' necessary PI.
        .target(name: "ThirdParties", dependencies: [
            "Facts", "PacketDecoding", "WireBytes", "WireCodings",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("Data")], swiftSettings: strictSettings),
        // Stages between analyzers and rules that annotate the stream (server naming, SDK attribution).
        .target(name: "Enrichers", dependencies: ["Facts", "PacketDecoding", "CertificateModel", "ThirdParties", "WireBytes"], swiftSettings: strictSettings),
        .target(name: "Rules", dependencies: [
            "Facts", "Flows", "TLSModel", "CertificateModel", "ThirdParties", "WireBytes",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], resources: [.copy("DefaultPolicy")], swiftSettings: strictSettings),
        // The report model: every derived description, built once from facts and findings.
        .target(name: "ReportModel", dependencies: ["Rules", "Facts", "Flows", "TLSModel", "CertificateModel", "ThirdParties", "WireBytes"],
                swiftSettings: strictSettings),
        // Thin writers over the model, one per --format, behind one protocol and a registry.
        .target(name: "ReportWriters", dependencies: ["ReportModel", "Rules", "WireBytes"], swiftSettings: strictSettings),
        .target(name: "WirecheckKit", dependencies: [
            "Capture", "Analyzers", "Enrichers", "Facts", "Rules", "ReportModel", "ReportWriters", "Detectors", "ThirdParties", "WireBytes",
        ], swiftSettings: strictSettings),
        .executableTarget(name: "wirecheck", dependencies: [
            "WirecheckKit", "Capture", "Rules", "ReportModel", "ReportWriters", "Detectors", "ThirdParties", "PacketDecoding",
            .product(name: "Yams", package: "Yams"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strictSettings),
        // The PI scanner's own benchmark (bench/README.md): figures, not a test.
        // The SDK catalogue's lookup cost (bench/README.md).
        .executableTarget(name: "catalog-bench", dependencies: ["ThirdParties", "PacketDecoding"], path: "bench/CatalogBench", swiftSettings: strictSettings),
        .executableTarget(name: "scan-bench", dependencies: ["Detectors", "Facts"], path: "bench/ScanBench", swiftSettings: strictSettings),
        // libFuzzer harnesses, one per analyzer and capture format (Tests/Fuzz/README.md, `make fuzz`);
        // built normally it replays the kept corpus and makes seeds from captures.
        .executableTarget(name: "wirecheck-fuzz", dependencies: [
            "Analyzers", "Capture", "Detectors", "Facts", "Flows", "PacketDecoding", "Rules", "WireBytes", "WirecheckKit",
        ], path: "Tests/Fuzz/Harness", swiftSettings: strictSettings),
        // Shared by the test targets (a seeded PRNG); not part of any product.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "WireBytesTests", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .testTarget(name: "AnalyzersTests", dependencies: [
            "Analyzers", "Facts", "Flows", "PacketDecoding", "Capture", "Detectors", "WireBytes", "TestSupport",
        ], swiftSettings: strictSettings),
        .testTarget(name: "ThirdPartiesTests", dependencies: [
            "ThirdParties", "Facts", "PacketDecoding", .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strictSettings),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolTLSTests", dependencies: ["ProtocolTLS", "TLSModel", "WireBytes"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "WirecheckKitTests", dependencies: [
            "WirecheckKit", "Capture", "CPcap", "Rules", "ReportModel", "ReportWriters", "Facts", "Analyzers", "Detectors", "TLSModel", "CertificateModel", "ThirdParties", "PacketDecoding", "WireBytes",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolHTTPTests", dependencies: ["ProtocolHTTP", "WireCodings", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "DetectorsTests", dependencies: ["Detectors", "Facts", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolX509Tests", dependencies: ["ProtocolX509", "CertificateModel", "WireBytes", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
    ]
)
