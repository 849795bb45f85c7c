import Foundation
import ReportModel
import ReportWriters
import Capture
import Rules
import WirecheckKit

/// The repository root, found from this file's path, so tests read the
/// committed captures wherever the package is cloned.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func capturePath(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent("captures").appendingPathComponent(relative).path
}

func defaultPolicy() throws -> Policy {
    try PolicyLoader.builtIn()
}

func inspect(_ paths: [String], policy: Policy? = nil, failOn: Severity? = .high, reveal: Bool = false) throws -> Report {
    var pipeline = Pipeline(policy: try policy ?? defaultPolicy(), failOn: failOn)
    pipeline.reveal = reveal
    return pipeline.run(inputs: paths, generatedAt: "2000-01-01T00:00:00Z")
}

/// A report in one of the registered formats, as the CLI would write it (no colour).
func render(_ report: Report, as format: String) -> String {
    let writer = ReportWriters.named(format)!.init(options: WriterOptions())
    return String(decoding: writer.finished(report), as: UTF8.self)
}

/// Every packet record (and secrets block) a source yields, for tests of the readers.
struct RecordCollector: PacketConsumer {
    var records: [PacketRecord] = []
    var secrets: [DecryptionSecrets] = []
    mutating func packet(_ record: PacketRecord, bytes: RawSpan) { records.append(record) }
    mutating func decryptionSecrets(_ secrets: DecryptionSecrets) { self.secrets.append(secrets) }
}

/// The `wirecheck` executable SwiftPM built next to the test bundle.
var wirecheckExecutable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("wirecheck").path), directory.path != "/" {
        directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("wirecheck")
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

func run(_ executable: URL, _ arguments: [String], stdin: Data? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    var environment = ProcessInfo.processInfo.environment
    environment["CI"] = "true"
    process.environment = environment
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                         stderr: String(decoding: stderrData, as: UTF8.self))
}
