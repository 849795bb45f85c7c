import Foundation
import Synchronization
import Testing

/// Live mode, tested live: wirecheck captures on loopback while Python's
/// OpenSSL sends a real ClientHello to a local server that hangs up.
@Suite(.serialized) struct LiveCaptureTests {
    static let canCapture = getuid() == 0

    @Test(.enabled(if: canCapture, "live capture needs root"))
    func liveCaptureSeesARealClientHelloOnLoopback() throws {
        let port = 40_000 + Int(getpid() % 5_000)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-live-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let saved = directory.appendingPathComponent("saved.pcap")
        let script = directory.appendingPathComponent("hello.py")
        try Data("""
        import socket, ssl, sys, threading
        port = int(sys.argv[1])
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(1)
        def serve():
            connection, _ = server.accept()
            connection.recv(65536)
            connection.close()
        thread = threading.Thread(target=serve)
        thread.start()
        try:
            with socket.create_connection(("127.0.0.1", port)) as raw:
                ssl.create_default_context().wrap_socket(raw, server_hostname="live.wirecheck.test")
        except (ssl.SSLError, OSError):
            pass
        thread.join()
        """.utf8).write(to: script)

        let wirecheck = Process()
        wirecheck.executableURL = wirecheckExecutable
        wirecheck.arguments = ["live", "--interface", "lo", "--filter", "tcp port \(port)", "--duration", "4",
                               "--save", saved.path, "--format", "json", "--output", report.path, "--fail-on", "none"]
        try wirecheck.run()
        Thread.sleep(forTimeInterval: 1.5)
        let client = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "\(port)"])
        #expect(client.status == 0, "\(client.stderr)")
        wirecheck.waitUntilExit()
        #expect(wirecheck.terminationStatus == 0)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any]
        let input = (json?["inputs"] as? [[String: Any]])?.first
        #expect(input?["path"] as? String == saved.path)
        #expect((input?["packets"] as? Int ?? 0) >= 4)
        let handshakes = json?["handshakes"] as? [[String: Any]] ?? []
        #expect(handshakes.count == 1)
        #expect(handshakes.first?["sni"] as? String == "live.wirecheck.test")
        #expect((handshakes.first?["offered_versions"] as? [String])?.contains("TLS 1.3") == true)

        // The saved file is the evidence: reading it back gives the same handshake.
        let replay = try inspect([saved.path], failOn: nil)
        #expect(replay.handshakes.first?.sni == "live.wirecheck.test")
        #expect(replay.inputs.first?.sha256 == input?["sha256"] as? String)
    }

    /// A TLS 1.0 exchange whose plaintext part ends early in a four-second
    /// capture: its finding must reach standard output while the capture runs,
    /// not with the report when it stops.
    @Test(.enabled(if: canCapture, "live capture needs root"))
    func liveTextPrintsEachFindingTheMomentItIsKnown() throws {
        let port = 45_000 + Int(getpid() % 5_000)
        let wirecheck = Process()
        wirecheck.executableURL = wirecheckExecutable
        wirecheck.arguments = ["live", "--interface", "lo", "--filter", "tcp port \(port)", "--duration", "5", "--fail-on", "none"]
        let out = Pipe()
        wirecheck.standardOutput = out
        wirecheck.standardError = FileHandle.nullDevice
        let lines = Mutex<[(Date, String)]>([])
        let reader = Thread {
            while true {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                let text = String(decoding: data, as: UTF8.self)
                lines.withLock { $0.append((Date(), text)) }
            }
        }
        try wirecheck.run()
        reader.start()
        Thread.sleep(forTimeInterval: 1.5)
        // Hand-made records (what is tested here is when the finding is printed, not TLS
        // parsing): a TLS 1.0 ClientHello and ServerHello, then ChangeCipherSpec and an
        // application-data record each way, so the handshake's plaintext part is over.
        let client = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import socket, time
            def record(kind, body): return bytes([kind, 3, 1]) + len(body).to_bytes(2, "big") + body
            def handshake(kind, body): return bytes([kind]) + len(body).to_bytes(3, "big") + body
            hello = record(22, handshake(1, bytes.fromhex("0301") + b"\\x11" * 32 + bytes.fromhex("00000200350100")))
            answer = record(22, handshake(2, bytes.fromhex("0301") + b"\\x22" * 32 + bytes.fromhex("00003500")) + handshake(14, b""))
            switch = record(20, b"\\x01") + record(23, b"\\xde\\xad\\xbe\\xef")
            listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", \(port))); listener.listen(1)
            sender = socket.create_connection(("127.0.0.1", \(port))); peer, _ = listener.accept()
            sender.sendall(hello); peer.recv(4096)
            peer.sendall(answer); sender.recv(4096)
            sender.sendall(switch); peer.recv(4096)
            peer.sendall(switch); sender.recv(4096)
            time.sleep(0.5)
            sender.close(); peer.close()
            """])
        #expect(client.status == 0, "\(client.stderr)")
        wirecheck.waitUntilExit()
        let ended = Date()
        reader.cancel()
        let seen = lines.withLock { $0 }
        let output = seen.map(\.1).joined()
        let finding = try #require(seen.first { $0.1.contains("WC-TLS-001") }, "no finding line in:\n\(output)")
        #expect(ended.timeIntervalSince(finding.0) > 1.5, "the finding was printed only when the capture stopped")
        let line = try #require(output.range(of: "WC-TLS-001"))
        let report = try #require(output.range(of: "— report generated"))
        #expect(line.lowerBound < report.lowerBound)
    }

    @Test func unknownInterfaceIsAUsageError() throws {
        let result = try run(wirecheckExecutable, ["live", "--interface", "no-such-interface0", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no-such-interface0"))
    }
}
