import Foundation

/// Hostile shapes built in memory (floods, fragment storms) for the engine's
/// bounds: the sizes a real client cannot be made to send on demand. Classic
/// pcap, Ethernet, IPv4 with valid header checksums.
struct SyntheticCapture {
    private(set) var bytes: [UInt8] = []
    private var time: Int64 = 1_767_225_600_000_000   // 2026-01-01T00:00:00Z in microseconds

    init() {
        append32(0xA1B2_C3D4); append16(2); append16(4); append32(0); append32(0); append32(65_535); append32(1)
    }

    private mutating func append16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private mutating func append32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) } }

    static func be16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }

    static func address(_ text: String) -> [UInt8] { text.split(separator: ".").map { UInt8($0)! } }

    /// Advances the capture clock.
    mutating func wait(microseconds: Int64) { time += microseconds }

    mutating func frame(_ ip: [UInt8]) {
        let ethernet: [UInt8] = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00] + ip
        append32(UInt32(time / 1_000_000)); append32(UInt32(time % 1_000_000))
        append32(UInt32(ethernet.count)); append32(UInt32(ethernet.count))
        bytes += ethernet
        time += 10
    }

    static func ipv4(source: String, destination: String, protocol proto: UInt8, id: Int, fragmentOffset: Int = 0,
                     moreFragments: Bool = false, payload: [UInt8]) -> [UInt8] {
        let flags = (moreFragments ? 0x2000 : 0) | (fragmentOffset / 8)
        var header: [UInt8] = [0x45, 0] + be16(20 + payload.count) + be16(id) + be16(flags) + [64, proto, 0, 0]
            + address(source) + address(destination)
        var sum = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += Int(header[index]) << 8 | Int(header[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~sum & 0xFFFF
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + payload
    }

    static func udp(sourcePort: Int, destinationPort: Int, payload: [UInt8]) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(8 + payload.count) + [0, 0] + payload
    }

    static func tcp(sourcePort: Int, destinationPort: Int, sequence: UInt32, acknowledgement: UInt32, flags: UInt8, payload: [UInt8] = []) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgement) + [0x50, flags] + be16(65_535) + [0, 0, 0, 0] + payload
    }

    /// A whole TCP connection: handshake, the client's bytes in segments of `segment`, the server's answer, FINs.
    mutating func tcpConnection(client: String, clientPort: Int, server: String, serverPort: Int, request: [UInt8],
                                response: [UInt8] = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8), segment: Int = 1400) {
        var clientSequence: UInt32 = 1000, serverSequence: UInt32 = 5000
        func out(_ flags: UInt8, _ payload: [UInt8] = []) -> [UInt8] {
            Self.ipv4(source: client, destination: server, protocol: 6, id: 1, payload:
                Self.tcp(sourcePort: clientPort, destinationPort: serverPort, sequence: clientSequence, acknowledgement: serverSequence, flags: flags, payload: payload))
        }
        func back(_ flags: UInt8, _ payload: [UInt8] = []) -> [UInt8] {
            Self.ipv4(source: server, destination: client, protocol: 6, id: 2, payload:
                Self.tcp(sourcePort: serverPort, destinationPort: clientPort, sequence: serverSequence, acknowledgement: clientSequence, flags: flags, payload: payload))
        }
        frame(out(0x02)); clientSequence += 1
        frame(back(0x12)); serverSequence += 1
        frame(out(0x10))
        var offset = 0
        while offset < request.count {
            let piece = Array(request[offset..<min(request.count, offset + segment)])
            frame(out(0x18, piece))
            clientSequence &+= UInt32(piece.count)
            offset += piece.count
        }
        frame(back(0x18, response)); serverSequence &+= UInt32(response.count)
        frame(out(0x11)); clientSequence += 1
        frame(back(0x11)); serverSequence += 1
        frame(out(0x10))
    }

    func write(named name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wirecheck-\(getpid())-\(name).pcap")
        try Data(bytes).write(to: url)
        return url
    }
}
