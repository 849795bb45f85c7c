import Foundation
import Testing

/// The reports and help texts under Tests/Golden, written by
/// scripts/regen-golden.sh, must come out of the binary byte for byte (the
/// run's own timestamp normalised). A failure prints the diff; a deliberate
/// change is committed by running the script and reviewing `git diff`.
@Suite struct GoldenTests {
    static let golden = repositoryRoot.appendingPathComponent("Tests/Golden")

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var description: String { name }
    }

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: golden.appendingPathComponent("cases.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let tab = line.firstIndex(of: "\t") else { return nil }
            return Case(name: String(line[..<tab]), arguments: line[line.index(after: tab)...].split(separator: " ").map(String.init))
        }
    }()

    /// What scripts/regen-golden.sh's `normalise` does.
    static func normalise(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        for index in lines.indices {
            let line = lines[index]
            if let range = line.range(of: "report generated ") {
                let end = line[range.upperBound...].firstIndex(of: " ") ?? line.endIndex
                lines[index] = line.replacingCharacters(in: range.upperBound..<end, with: "GENERATED_AT")
            }
            for key in ["\"generated_at\": \"", "\"generated_at\":\""] {
                guard let range = lines[index].range(of: key),
                      let close = lines[index][range.upperBound...].firstIndex(of: "\"") else { continue }
                lines[index] = lines[index].replacingCharacters(in: range.upperBound..<close, with: "GENERATED_AT")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = wirecheckExecutable
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "100"
        environment["CI"] = "1"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// `diff -u` of what was expected and what came out, for the failure message.
    static func difference(_ expectedFile: URL, _ actual: String) -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-golden-\(getpid())-\(expectedFile.lastPathComponent)")
        try? Data(actual.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try? run(URL(fileURLWithPath: "/usr/bin/diff"), ["-u", expectedFile.path, file.path])
        return result.map { String($0.stdout.prefix(6000)) } ?? "(diff unavailable)"
    }

    static func check(_ actual: String, against expectedFile: URL) throws {
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        #expect(actual == expected, "\(expectedFile.lastPathComponent) differs (scripts/regen-golden.sh rewrites it):\n\(difference(expectedFile, actual))")
    }

    @Test func everyCaseHasItsGoldenFiles() {
        #expect(Self.cases.count >= 11)
        for item in Self.cases {
            for suffix in ["txt", "json", "jsonl"] {
                let file = Self.golden.appendingPathComponent("reports/\(item.name).\(suffix)")
                #expect(FileManager.default.fileExists(atPath: file.path), "\(file.path) is missing")
            }
        }
    }

    @Test(arguments: cases)
    func reportsMatchTheirGoldenFiles(_ item: Case) throws {
        let base = item.arguments + ["--fail-on", "none", "--no-progress"]
        try Self.check(Self.normalise(Self.output(base)), against: Self.golden.appendingPathComponent("reports/\(item.name).txt"))
        try Self.check(Self.normalise(Self.output(base + ["--format", "json"])), against: Self.golden.appendingPathComponent("reports/\(item.name).json"))
        try Self.check(Self.normalise(Self.output(base + ["--format", "jsonl"])), against: Self.golden.appendingPathComponent("reports/\(item.name).jsonl"))
    }

    @Test(arguments: ["wirecheck", "inspect", "live", "rules", "explain"])
    func helpMatchesItsGoldenText(_ command: String) throws {
        let output = try Self.output(command == "wirecheck" ? ["--help"] : ["help", command])
        try Self.check(output, against: Self.golden.appendingPathComponent("help/\(command).txt"))
    }
}
