// swift-tools-version: 6.2
import PackageDescription

// One target per pipeline stage: capture → packets → flows → protocol parsers →
// dissection (facts) → rules (findings) → reporters. The engine is a library
// (WirecheckKit); the executable holds only the command-line layer.
let strictSettings: [SwiftSetting] = [
    .enableExperimentalFeature("Lifetimes"),
    .enableUpcomingFeature("ExistentialAny"),
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
        .target(name: "WireBytes", swiftSettings: strictSettings),
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        .target(name: "Capture", dependencies: ["WireBytes", "CPcap", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictSettings),
        .target(name: "PacketDecoding", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .target(name: "Flows", dependencies: ["PacketDecoding", "WireBytes"], swiftSettings: strictSettings),
        // Value types for what a certificate and a handshake showed, apart from their parsers,
        // so facts, rules and reports depend on no parser.
        .target(name: "CertificateModel", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .target(name: "TLSModel", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .target(name: "ProtocolX509", dependencies: [
            "WireBytes", "CertificateModel",
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strictSettings),
        .target(name: "ProtocolTLS", dependencies: [
            "WireBytes", "TLSModel",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strictSettings),
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
            "WireBytes", "WireCodings", "CScanKernels",
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        // The scanner's hot loop touches its own per-call state only; the dynamic
        // exclusivity checks cost ~15% of scan time (allowed: this is the root package).
        swiftSettings: strictSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "ProtocolHTTP", dependencies: ["WireBytes", "WireCodings"], swiftSettings: strictSettings),
        .target(name: "ProtocolDNS", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .target(name: "Dissection", dependencies: [
            "Flows", "PacketDecoding", "ProtocolTLS", "ProtocolX509", "TLSModel", "CertificateModel", "ProtocolHTTP", "ProtocolDNS", "Detectors", "WireBytes",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strictSettings),
        .target(name: "Rules", dependencies: [
            "Dissection", "ProtocolTLS", "ProtocolX509", "TLSModel", "CertificateModel", "Detectors", "WireBytes",
            .product(name: "Yams", package: "Yams"),
        ], resources: [.copy("DefaultPolicy")], swiftSettings: strictSettings),
        .target(name: "Reporters", dependencies: ["Rules", "Dissection", "ProtocolTLS", "ProtocolX509", "TLSModel", "CertificateModel", "Detectors", "WireBytes"], swiftSettings: strictSettings),
        .target(name: "WirecheckKit", dependencies: [
            "Capture", "PacketDecoding", "Flows", "Dissection", "Rules", "Reporters", "Detectors",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strictSettings),
        .executableTarget(name: "wirecheck", dependencies: [
            "WirecheckKit", "Capture", "Rules", "Reporters", "Detectors",
            .product(name: "Yams", package: "Yams"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strictSettings),
        // The PI scanner's own benchmark (bench/README.md): figures, not a test.
        .executableTarget(name: "scan-bench", dependencies: ["Detectors"], path: "bench/ScanBench", swiftSettings: strictSettings),
        // Shared by the test targets (a seeded PRNG); not part of any product.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        .testTarget(name: "WireBytesTests", dependencies: ["WireBytes"], swiftSettings: strictSettings),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolTLSTests", dependencies: ["ProtocolTLS", "TLSModel", "WireBytes"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "WirecheckKitTests", dependencies: [
            "WirecheckKit", "Capture", "CPcap", "Rules", "Reporters", "Dissection", "Detectors", "TLSModel", "CertificateModel", "WireBytes",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolHTTPTests", dependencies: ["ProtocolHTTP", "WireCodings", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
        .testTarget(name: "DetectorsTests", dependencies: ["Detectors", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ProtocolX509Tests", dependencies: ["ProtocolX509", "CertificateModel", "WireBytes", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strictSettings),
    ]
)
