import Analyzers
import Capture
import Facts
import Foundation
import WireBytes

#if FUZZING
// libFuzzer drives the harness named by WIRECHECK_FUZZ_TARGET (see `make fuzz`).
nonisolated(unsafe) var selected: Harness?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = ProcessInfo.processInfo.environment["WIRECHECK_FUZZ_TARGET"] ?? ""
    guard let found = harness(named: name) else {
        FileHandle.standardError.write(Data("wirecheck-fuzz: set WIRECHECK_FUZZ_TARGET to one of \(harnesses.map(\.name).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    selected = found
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected?.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's entry when the program has its own `main` (SwiftPM links an
/// executable target's main under this name).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("wirecheck_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzerTestOneInput(data, size) }
}
#else
/// Without libFuzzer: replays kept inputs (what CI runs), and makes seed inputs from captures.
@main
struct FuzzTool {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "replay" where arguments.count >= 2:
            replay(arguments[1], directories: Array(arguments.dropFirst(2)))
        case "seed" where arguments.count >= 4:
            seed(arguments[1], into: arguments[2], captures: Array(arguments.dropFirst(3)))
        case "list":
            print(harnesses.map(\.name).joined(separator: "\n"))
        default:
            FileHandle.standardError.write(Data(("usage: wirecheck-fuzz replay NAME DIR…   (runs every file in the folders through the harness)\n"
                  + "       wirecheck-fuzz seed NAME OUTDIR CAPTURE…   (writes seed inputs made from real captures)\n"
                  + "       wirecheck-fuzz list\n").utf8))
            exit(2)
        }
    }

    static func files(in directories: [String]) -> [String] {
        directories.flatMap { directory -> [String] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(directory)/\($0)" }
        }
    }

    static func replay(_ name: String, directories: [String]) {
        guard let harness = harness(named: name) else {
            FileHandle.standardError.write(Data("wirecheck-fuzz: no harness \(name)\n".utf8))
            exit(2)
        }
        var count = 0
        for path in files(in: directories) {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            data.withUnsafeBytes { harness.run($0) }
            count += 1
        }
        print("wirecheck-fuzz: \(name): \(count) input(s) replayed")
    }

    static func seed(_ name: String, into directory: String, captures: [String]) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written = 0
        for capture in captures {
            let base = (capture as NSString).lastPathComponent
            if name == "pcap" || name == "pcapng" {
                guard capture.hasSuffix("." + name), let data = FileManager.default.contents(atPath: capture), data.count <= 64 << 10 else { continue }
                _ = FileManager.default.createFile(atPath: "\(directory)/\(base)", contents: data)
                written += 1
                continue
            }
            for (index, flow) in FlowRecorder.record(capture).enumerated() {
                let encoded = flow.transport == 6 ? encodeStream(flow.deliveries) : encodeDatagrams(flow.deliveries)
                guard !encoded.isEmpty, encoded.count <= 256 << 10, flow.transport == (["dns", "quic", "raw-udp"].contains(name) ? 17 : 6) else { continue }
                _ = FileManager.default.createFile(atPath: "\(directory)/\(base)-\(index)", contents: Data(encoded))
                written += 1
            }
        }
        print("wirecheck-fuzz: \(name): \(written) seed(s) in \(directory)")
    }
}

/// Records what the dissector delivers on each flow of a capture.
final class FlowRecorder {
    struct Flow {
        var transport: UInt8
        var deliveries: [(side: Side, bytes: [UInt8])] = []
    }

    nonisolated(unsafe) static var flows: [Int: Flow] = [:]

    final class StreamTap: StreamAnalyzer {
        static let name = "tap"
        static func probe(_ prefix: RawSpan, from side: Side, afterGap: Bool, final: Bool) -> ProbeResult { .match }
        let flow: Int
        init(context: FlowContext) { flow = context.id }
        func attach(_ side: Side, afterGap: Bool) {}
        func receive(_ bytes: RawSpan, from side: Side, at packet: PacketReference, requests: inout FlowRequests) {
            FlowRecorder.flows[flow, default: Flow(transport: 6)].deliveries.append((side, bytes.withUnsafeBytes { Array($0) }))
        }
        func noteGap(from side: Side, at reference: PacketReference) {}
        func finish(at last: PacketReference) {}
        var plaintextProtocol: PlaintextProtocol? { nil }
    }

    final class DatagramTap: DatagramAnalyzer {
        static let name = "tap-udp"
        static func probe(_ datagram: RawSpan, from side: Side) -> ProbeResult { .match }
        let flow: Int
        init(context: FlowContext) { flow = context.id }
        func receive(_ datagram: RawSpan, from side: Side, at packet: PacketReference) {
            FlowRecorder.flows[flow, default: Flow(transport: 17)].deliveries.append((side, datagram.withUnsafeBytes { Array($0) }))
        }
        var plaintextProtocol: PlaintextProtocol? { nil }
    }

    struct Feed: PacketConsumer {
        let dissector: Dissector
        mutating func packet(_ record: PacketRecord, bytes: RawSpan) {
            dissector.process(packet: record.number, timeNanos: record.timestampNanos, linkType: record.linkType.rawValue, bytes: bytes)
        }
        mutating func decryptionSecrets(_ secrets: DecryptionSecrets) {}
    }

    static func record(_ capture: String) -> [Flow] {
        flows = [:]
        let registry = AnalyzerRegistry(stream: [StreamTap.self], streamFallback: nil, datagram: [DatagramTap.self], datagramFallback: nil)
        let dissector = Dissector(registry: registry, sink: DiscardingSink())
        guard let reader = try? CaptureFileReader(path: capture) else { return [] }
        var feed = Feed(dissector: dissector)
        _ = reader.read(into: &feed)
        _ = dissector.finish()
        return flows.keys.sorted().map { flows[$0]! }
    }
}
#endif
