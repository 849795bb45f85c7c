import Foundation
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

    @Test func unknownInterfaceIsAUsageError() throws {
        let result = try run(wirecheckExecutable, ["live", "--interface", "no-such-interface0", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no-such-interface0"))
    }
}
