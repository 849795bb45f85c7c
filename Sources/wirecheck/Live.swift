import ArgumentParser
import Capture
import Foundation
import ReportWriters
import WirecheckKit

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

    @OptionGroup(title: "Third parties and consent")
    var thirdParties: ThirdPartyOptions

    func validate() throws {
        if let count, count <= 0 { throw ValidationError("--count must be positive") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        var pipeline = try report.makePipeline()
        try thirdParties.configure(&pipeline)
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
