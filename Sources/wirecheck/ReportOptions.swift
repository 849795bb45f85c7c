import ArgumentParser
import Capture
import Detectors
import Foundation
import ReportModel
import ReportWriters
import Rules
import ThirdParties
import WirecheckKit
import Yams

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

    @Option(name: .customLong("max-flows-in-report"), help: ArgumentHelp("List at most this many flows in the report (flows that carried payload first); the rest are counted in the summary.", valueName: "n"))
    var maxFlowsInReport = 100_000

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
        pipeline.maximumFlowsInReport = maxFlowsInReport
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
