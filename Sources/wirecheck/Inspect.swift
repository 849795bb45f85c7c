import ArgumentParser
import Detectors
import Foundation
import WirecheckKit

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Analyse capture files (pcap or pcapng; - for standard input) and report every finding.")

    @Argument(help: "Capture files to read, in order (- reads standard input).")
    var inputs: [String] = []

    @OptionGroup(title: "Report")
    var report: ReportOptions

    @OptionGroup(title: "Third parties and consent")
    var thirdParties: ThirdPartyOptions

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
        try thirdParties.configure(&pipeline)
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
