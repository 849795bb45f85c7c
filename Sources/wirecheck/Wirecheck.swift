import ArgumentParser
import Capture
import Detectors
import Foundation
import ReportModel
import ReportWriters
import Rules
import WirecheckKit
import Yams

@main
struct Wirecheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirecheck",
        abstract: "Inspect an app's network traffic against China's app personal-information transport rules.",
        discussion: """
        Exit codes: 0 no finding reaches --fail-on; 1 a finding does; 2 usage error or no input could be read.
        Rules: `wirecheck rules` lists every rule id; `wirecheck explain WC-TLS-001` shows one.
        """,
        version: WirecheckVersion.current,
        subcommands: [Inspect.self, Live.self, Rules.self, Explain.self],
        defaultSubcommand: Inspect.self
    )

    /// ArgumentParser's usage errors exit 64; ours exit 2 as documented.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : (code.rawValue == 0 ? 0 : 2))
        }
    }
}

/// A `--format` value: a writer in the registry.
struct OutputFormat: ExpressibleByArgument, CustomStringConvertible {
    let writer: any ReportWriter.Type

    init?(argument: String) {
        guard let writer = ReportWriters.named(argument) else { return nil }
        self.writer = writer
    }

    init(_ writer: any ReportWriter.Type) {
        self.writer = writer
    }

    static var allValueStrings: [String] { ReportWriters.formats }
    var description: String { writer.format }
    var defaultValueDescription: String { writer.format }
}

enum FailThreshold: ExpressibleByArgument, CustomStringConvertible {
    case severity(Severity)
    case none

    init?(argument: String) {
        if argument == "none" { self = .none; return }
        guard let severity = Severity(name: argument) else { return nil }
        self = .severity(severity)
    }

    static var allValueStrings: [String] { Severity.allCases.map(\.name) + ["none"] }

    var description: String {
        switch self {
        case .severity(let severity): severity.name
        case .none: "none"
        }
    }

    var defaultValueDescription: String { description }
}

/// Options shared by every mode that produces a report.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: "Policy YAML replacing the built-in default (Policies/default.yaml).")
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("Report format: \(ReportWriters.all.map { "\($0.format) (\($0.about))" }.joined(separator: "; ")).",
                                            valueName: ReportWriters.formats.joined(separator: "|")))
    var format = OutputFormat(TextReportWriter.self)

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding reaches this severity (info, low, medium, high, critical) or never (none).")
    var failOn: FailThreshold = .severity(.high)

    @Option(name: .long, help: "YAML mapping of the test phone's own identifiers (imei, imei2, meid, imsi, iccid, phone, android_id, oaid, idfa, idfv, mac, wifi_bssid, wifi_ssid, serial, home_lat, home_lon), found in every encoding and as MD5/SHA-1/SHA-256.")
    var device: String?

    @Flag(name: .long, help: "Show raw personal-information values in the report instead of masked ones.")
    var reveal = false

    func loadDevice() throws -> DeviceIdentifiers? {
        guard let device else { return nil }
        func fail(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("wirecheck: \(device): \(message)\n".utf8))
            return ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: device), let text = String(data: data, encoding: .utf8) else {
            throw fail("cannot read the device file")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw fail("not YAML: \(error)") }
        guard let mapping = root?.mapping else { throw fail("must be a flat mapping of identifier: value") }
        var entries: [(key: String, value: String)] = []
        for (key, value) in mapping {
            guard let name = key.string else { throw fail("keys must be strings") }
            guard value.scalar != nil, let text = value.string else {
                throw fail("\(name) (line \(value.mark?.line ?? 0)): the value must be a single string or number")
            }
            entries.append((name, text))
        }
        do {
            return try DeviceIdentifiers(entries: entries)
        } catch {
            throw fail("\(error)")
        }
    }

    func makePipeline() throws -> Pipeline {
        let loadedPolicy: Policy
        do {
            loadedPolicy = try policy.map { try PolicyLoader.load(path: $0) } ?? PolicyLoader.builtIn()
        } catch {
            FileHandle.standardError.write(Data("wirecheck: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let threshold: Severity? = if case .severity(let severity) = failOn { severity } else { nil }
        if reveal {
            FileHandle.standardError.write(Data("wirecheck: warning: --reveal prints personal information unmasked; handle the report as sensitive\n".utf8))
        }
        var pipeline = Pipeline(policy: loadedPolicy, failOn: threshold, device: try loadDevice())
        pipeline.reveal = reveal
        return pipeline
    }

    /// Where the report goes: `--output`, or standard output.
    func openOutput() throws -> ReportOutput {
        guard let output else { return ReportOutput(descriptor: 1, path: nil) }
        let descriptor = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            FileHandle.standardError.write(Data("wirecheck: cannot write \(output): \(String(cString: strerror(errno)))\n".utf8))
            throw ExitCode(2)
        }
        return ReportOutput(descriptor: descriptor, path: output)
    }

    func makeWriter(liveFindings: Bool = false) -> any ReportWriter {
        let color = output == nil && format.writer == TextReportWriter.self && isatty(1) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        return format.writer.init(options: WriterOptions(color: color, liveFindings: liveFindings))
    }

    /// Prints input problems, writes the rest of the report, and exits with
    /// the documented code. `after` runs once the report is written, before
    /// the exit status is decided.
    func deliver(_ report: Report, writer: any ReportWriter, to output: ReportOutput, after: () -> Void = {}) throws {
        for input in report.inputs {
            for error in input.errors {
                FileHandle.standardError.write(Data("wirecheck: \(input.path)\(error.packet.map { ": packet \($0)" } ?? ""): \(error.message)\n".utf8))
            }
        }
        output.write(writer.finished(report))
        output.close()
        if let failure = output.failure {
            FileHandle.standardError.write(Data("wirecheck: cannot write the report: \(failure)\n".utf8))
            throw ExitCode(2)
        }
        after()
        if report.inputs.allSatisfy({ !$0.readable }) { throw ExitCode(2) }
        if report.failingFindings > 0 { throw ExitCode(1) }
    }

    static var now: String { ISO8601DateFormatter().string(from: Date()) }
}

/// `--stats`: what a run cost, on standard error (never in the report, which must be reproducible).
enum RunStatistics {
    struct Clock {
        let wall = DispatchTime.now().uptimeNanoseconds
    }

    static func print(_ report: Report, meter: ScanMeter, since clock: Clock) {
        let wall = Double(DispatchTime.now().uptimeNanoseconds - clock.wall) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF_VALUE, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let bytes = Double(report.inputs.reduce(0) { $0 + $1.bytes })
        let packets = report.inputs.reduce(0) { $0 + $1.packets }
        let scanSeconds = Double(meter.cpuNanoseconds) / 1e9
        var lines = [String]()
        lines.append(String(format: "stats: %.1f MB, %d packets, %d flows in %.2f s wall, %.2f CPU-s (%.0f MB per CPU-s), max RSS %.0f MB",
                            bytes / 1e6, packets, report.flows.count, wall, cpu, cpu > 0 ? bytes / 1e6 / cpu : 0,
                            Double(usage.ru_maxrss) / 1024))
        lines.append(String(format: "stats: PI scanner: %.1f MB of plaintext in %d calls, %.2f CPU-s, %.0f MB per CPU-s",
                            Double(meter.bytes) / 1e6, meter.calls, scanSeconds, scanSeconds > 0 ? Double(meter.bytes) / 1e6 / scanSeconds : 0))
        let parts = meter.byContent.map { part in
            let seconds = Double(part.cpuNanoseconds) / 1e9
            return String(format: "%@ %.1f MB in %d calls at %.0f MB per CPU-s", part.kind, Double(part.bytes) / 1e6,
                          part.calls, seconds > 0 ? Double(part.bytes) / 1e6 / seconds : 0)
        }
        lines.append("stats: PI scanner by content: " + (parts.isEmpty ? "none" : parts.joined(separator: ", ")))
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    #if os(Linux)
    static let RUSAGE_SELF_VALUE = RUSAGE_SELF.rawValue
    #else
    static let RUSAGE_SELF_VALUE = RUSAGE_SELF
    #endif
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse capture files (pcap or pcapng; - for standard input) and report every finding.")

    @Argument(help: "Capture files to read, in order (- reads standard input).")
    var inputs: [String] = []

    @OptionGroup(title: "Report")
    var report: ReportOptions

    @Flag(name: .long, help: "Never show progress on standard error.")
    var noProgress = false

    @Flag(name: .long, help: "Print throughput figures on standard error at the end: bytes, packets, wall and CPU time, and the PI scanner's own MB per CPU-second, in total and per kind of content.")
    var stats = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name at least one capture file (or - for standard input)") }
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        var pipeline = try report.makePipeline()
        let meter = stats ? ScanMeter() : nil
        pipeline.scanMeter = meter
        let started = RunStatistics.Clock()
        let output = try report.openOutput()
        let writer = report.makeWriter()
        let showProgress = !noProgress && isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let result = pipeline.run(inputs: inputs, generatedAt: ReportOptions.now, onItem: { item in
            output.write(writer.streamed(item))
        }, progress: showProgress ? { progress in
            let megabytes = Double(progress.bytes) / 1_048_576
            FileHandle.standardError.write(Data(String(format: "\r%@: %.0f MiB, %d packets, %d flows, %d handshakes, %d PI sightings",
                                                       progress.file, megabytes, progress.packets, progress.flows,
                                                       progress.handshakes, progress.personalInformation).utf8))
        } : nil)
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        try report.deliver(result, writer: writer, to: output,
                           after: { if let meter { RunStatistics.print(result, meter: meter, since: started) } })
    }
}

struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Capture live through libpcap (e.g. on the interface the test phone's Wi-Fi runs through): each finding as it is known, the report when it stops.",
        discussion: "Stops after --count packets, --duration seconds, or Ctrl-C. Needs capture rights (root or CAP_NET_RAW).")

    @Option(name: [.short, .long], help: "Interface to capture on (e.g. wlan0, lo).")
    var interface: String

    @Option(name: .long, help: "BPF capture filter, e.g. 'host 192.168.4.20'.")
    var filter: String?

    @Option(name: .long, help: "Stop after this many packets.")
    var count: Int?

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "Also save every captured packet to this pcap file (the evidence the report names by SHA-256).")
    var save: String?

    @Flag(name: .long, help: "Put the interface in promiscuous mode.")
    var promiscuous = false

    @OptionGroup(title: "Report")
    var report: ReportOptions

    func validate() throws {
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        let pipeline = try report.makePipeline()
        let capture: LiveCapture
        do {
            capture = try LiveCapture(interface: interface, filter: filter, promiscuous: promiscuous, savePath: save)
        } catch {
            FileHandle.standardError.write(Data("wirecheck: \(error)\n".utf8))
            throw ExitCode(2)
        }
        capture.stopAfterPackets = count
        capture.stopAfterSeconds = duration
        signal(SIGINT) { _ in LiveCapture.stopRequested = 1 }
        signal(SIGTERM) { _ in LiveCapture.stopRequested = 1 }
        let output = try report.openOutput()
        let writer = report.makeWriter()
        // In text, each finding is printed on standard output the moment it is known.
        let live = report.format.writer == TextReportWriter.self ? TextReportWriter(options: WriterOptions(liveFindings: true)) : nil
        let terminal = ReportOutput(descriptor: 1, path: nil)
        let result = pipeline.runLive(capture, generatedAt: ReportOptions.now, onItem: { item in
            if let live { terminal.write(live.streamed(item)) }
            output.write(writer.streamed(item))
        })
        try report.deliver(result, writer: writer, to: output)
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rule catalogue (ids are stable and never reused).")

    enum Format: String, ExpressibleByArgument { case text, markdown }

    @Option(name: .long, help: "text, or markdown (the source of docs/rules.md).")
    var format: Format = .text

    func run() throws {
        switch format {
        case .text:
            for rule in RuleID.allCases {
                let entry = rule.entry
                print("\(rule.rawValue)  \(entry.defaultSeverity.name.padding(toLength: 8, withPad: " ", startingAt: 0))  \(entry.title)")
            }
        case .markdown:
            print(RuleDocumentation.markdown(), terminator: "")
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Explain one rule: what it checks, the clause it enforces, how to fix it.")

    @Argument(help: "A rule id such as WC-TLS-001.")
    var rule: String

    func validate() throws {
        guard RuleID(rawValue: rule.uppercased()) != nil else { throw ValidationError("unknown rule id '\(rule)'; `wirecheck rules` lists them") }
    }

    func run() throws {
        guard let id = RuleID(rawValue: rule.uppercased()) else { return }
        print(RuleDocumentation.section(for: id), terminator: "")
    }
}

/// The report's destination; a write error is remembered and reported once the run ends.
final class ReportOutput {
    let descriptor: Int32
    let path: String?
    private(set) var failure: String?

    init(descriptor: Int32, path: String?) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Written straight from the rendered bytes: a large report is not copied again.
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty, failure == nil else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
    }

    func close() {
        if path != nil { _ = Glibc.close(descriptor) }
    }
}
