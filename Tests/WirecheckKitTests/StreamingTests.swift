import Foundation
import Synchronization
import Testing

/// What only separate processes and a live input can show: the same inputs
/// give byte-identical reports in two processes (hash seeds, the clock and
/// the environment differ between them), and JSON Lines leave the engine
/// while the capture is still being read.
@Suite struct StreamingTests {
    static let mixed = ["openssl/tls12-rsa1024.pcap", "openssl/chain-sha1.pcap", "legacy-tlcp/tlcp-ecc-sm4-cbc-sm3.pcap",
                        "transport/plaintext-http.pcap", "transport/corrupt-record.pcap", "openssl/tls-refused.pcap",
                        "transport/dns-naming.pcap", "transport/connect-proxy.pcap",
                        "pii/http-form-pinyin.pcap", "pii/http-multipart-face.pcap", "pii/udp-telemetry.pcap"].map(capturePath)

    @Test(arguments: ["text", "json", "jsonl"])
    func twoProcessesWriteTheSameReport(_ format: String) throws {
        let arguments = ["inspect", "--format", format, "--fail-on", "none", "--device", capturePath("pii/device.yaml")] + Self.mixed
        let first = try run(wirecheckExecutable, arguments)
        Thread.sleep(forTimeInterval: 1.1)  // a different second on the clock
        let second = try run(wirecheckExecutable, arguments)
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        #expect(!first.stdout.isEmpty)
        #expect(GoldenTests.normalise(first.stdout) == GoldenTests.normalise(second.stdout))
    }

    /// A FIFO fed by this test: the handshake's packets first, then a pause;
    /// the weak-key finding must arrive on the pipe during the pause, before
    /// the rest of the capture (and its end) is written.
    @Test func findingsStreamBeforeTheInputEnds() throws {
        let capture = try Data(contentsOf: URL(fileURLWithPath: capturePath("openssl/tls12-rsa1024.pcap")))
        // The pcap header and the first eleven records cover the plaintext handshake.
        var cut = 24
        for _ in 0..<11 {
            let length = Int(capture[cut + 8]) | Int(capture[cut + 9]) << 8 | Int(capture[cut + 10]) << 16 | Int(capture[cut + 11]) << 24
            cut += 16 + length
        }
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-fifo-\(getpid())").path
        unlink(fifo)
        try #require(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }

        let process = Process()
        process.executableURL = wirecheckExecutable
        process.arguments = ["inspect", "--format", "jsonl", "--fail-on", "none", fifo]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()

        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        writer.write(capture[0..<cut])
        let restWritten = Atomic<Bool>(false)
        let findingBeforeEnd = Atomic<Bool>(false)
        let sawFinding = DispatchSemaphore(value: 0)
        let reader = Thread {
            var buffered = ""
            while true {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffered += String(decoding: data, as: UTF8.self)
                if buffered.contains("\"type\":\"finding\"") && !restWritten.load(ordering: .sequentiallyConsistent) {
                    findingBeforeEnd.store(true, ordering: .sequentiallyConsistent)
                    sawFinding.signal()
                }
            }
        }
        reader.start()
        _ = sawFinding.wait(timeout: .now() + 30)
        restWritten.store(true, ordering: .sequentiallyConsistent)
        writer.write(capture[cut...])
        try writer.close()
        process.waitUntilExit()
        let streamed = findingBeforeEnd.load(ordering: .sequentiallyConsistent)
        #expect(streamed, "no finding line on the pipe before the input ended")
        #expect(process.terminationStatus == 0)
    }
}
