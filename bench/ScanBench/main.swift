// The PI scanner alone, on bodies made by bench/make-scan-bodies.py: how many
// megabytes of plaintext one core inspects per second, per kind of content.
// Not a test: it prints figures and never fails on a slow one.
//
// usage: scan-bench DIR [--device FILE] [--seconds S]
import Detectors
import Foundation

func readDevice(_ path: String) throws -> DeviceIdentifiers {
    // The device file is a flat `key: value` mapping; the CLI's YAML reader is not linked here.
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var entries: [(key: String, value: String)] = []
    for line in text.split(separator: "\n") {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
        let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
        var value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.first == "\"" || value.first == "'", value.last == value.first {
            value = String(value.dropFirst().dropLast())
        }
        entries.append((key, value))
    }
    return try DeviceIdentifiers(entries: entries)
}

/// This thread's CPU time: precise (not tick-sampled like getrusage), and blind to other processes.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

var arguments = Array(CommandLine.arguments.dropFirst())
var devicePath: String? = nil
var seconds = 2.0
if let i = arguments.firstIndex(of: "--device") { devicePath = arguments[i + 1]; arguments.removeSubrange(i...(i + 1)) }
if let i = arguments.firstIndex(of: "--seconds") { seconds = Double(arguments[i + 1]) ?? 2; arguments.removeSubrange(i...(i + 1)) }
guard let directory = arguments.first else {
    FileHandle.standardError.write("usage: scan-bench DIR [--device FILE] [--seconds S]\n".data(using: .utf8)!)
    exit(2)
}

let inspector = PIInspector(device: try devicePath.map(readDevice))
// (file, kind, one body per line?)
let kinds: [(String, ContentKind, Bool)] = [
    ("telemetry.jsonl", .json, true), ("feed.json", .json, false), ("config.json", .json, false),
    ("log.txt", .text, false), ("lines.txt", .text, false), ("form.txt", .form, true),
]
// Value shapes (make-scan-bodies.py's shapes/): one kind of value per file, with its value count.
let shapesDirectory = directory + "/shapes"
var shapeValues: [String: Int] = [:]
if let counts = try? String(contentsOfFile: shapesDirectory + "/values.txt", encoding: .utf8) {
    for line in counts.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let count = Int(parts[1]) { shapeValues[String(parts[0])] = count }
    }
}
var totalBytes = 0.0, totalSeconds = 0.0
func column(_ s: String, _ width: Int, left: Bool = false) -> String {
    let pad = String(repeating: " ", count: max(0, width - s.count))
    return left ? s + pad : pad + s
}
print(column("body", 16, left: true) + column("bytes", 10) + column("median", 8) + column("best", 8) + column("findings", 10) + column("rounds", 8))
/// Times `inspect` over the bodies of one file; returns (MB per CPU-second median, best, bytes, findings, rounds, best seconds).
@MainActor func measure(path: String, kind: ContentKind, perLine: Bool) -> (median: Double, best: Double, bytes: Int, findings: Int, rounds: Int, bestSeconds: Double, seconds: Double)? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let bytes = [UInt8](data)
    let bodies: [[UInt8]] = perLine ? bytes.split(separator: UInt8(ascii: "\n")).map(Array.init) : [bytes]
    var findings = 0
    for body in bodies { findings += inspector.inspect(body, as: kind).count }  // warm-up
    // Each round timed on its own: on a shared VM the best and the median say more than the mean.
    var times: [Double] = []
    let start = cpuSeconds()
    repeat {
        let roundStart = cpuSeconds()
        for body in bodies { findings &+= inspector.inspect(body, as: kind).count & 0 }
        times.append(cpuSeconds() - roundStart)
    } while cpuSeconds() - start < seconds
    times.sort()
    return (Double(bytes.count) / max(times[times.count / 2], 1e-9) / 1e6, Double(bytes.count) / max(times[0], 1e-9) / 1e6,
            bytes.count, findings, times.count, times[0], times.reduce(0, +))
}

for (name, kind, perLine) in kinds {
    guard let m = measure(path: directory + "/" + name, kind: kind, perLine: perLine) else { continue }
    totalBytes += Double(m.bytes * m.rounds)
    totalSeconds += m.seconds
    print(column(name, 16, left: true) + column("\(m.bytes)", 10) + column(String(format: "%.0f", m.median), 8)
          + column(String(format: "%.0f", m.best), 8) + column("\(m.findings)", 10) + column("\(m.rounds)", 8))
}
print(column("all (mean)", 26, left: true) + column(String(format: "%.0f", totalBytes / totalSeconds / 1e6), 8))
print("MB of plaintext per CPU-second of one core, per round of all bodies of a kind (CLOCK_THREAD_CPUTIME_ID)")
if !shapeValues.isEmpty {
    print()
    print(column("value shape", 16, left: true) + column("bytes", 10) + column("median", 8) + column("best", 8)
          + column("B/value", 10) + column("ns/value", 10))
    for (name, values) in shapeValues.sorted(by: { $0.key < $1.key }) {
        guard let m = measure(path: shapesDirectory + "/" + name + ".jsonl", kind: .json, perLine: true) else { continue }
        print(column(name, 16, left: true) + column("\(m.bytes)", 10) + column(String(format: "%.0f", m.median), 8)
              + column(String(format: "%.0f", m.best), 8) + column(String(format: "%.1f", Double(m.bytes) / Double(values)), 10)
              + column(String(format: "%.0f", m.bestSeconds * 1e9 / Double(values)), 10))
    }
    print("JSON batches of 50 events x 8 members whose values have one shape (mixed: all shapes, one per member, in a fixed")
    print("order; mixed-shuffled: in a new order per event): the cost of one member, best round")
}
