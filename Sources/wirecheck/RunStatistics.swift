import Detectors
import Foundation
import ReportModel

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
