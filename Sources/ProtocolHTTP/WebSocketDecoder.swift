import WireCodings

/// One direction of RFC 6455 framing: frames → messages. Payload bytes are
/// consumed as they arrive (a frame may announce 2^63 bytes; only
/// `maxWebSocketMessage` of a message is kept), unmasked, and fragments are
/// joined. Control frames may arrive between the fragments of a data message.
struct WebSocketDecoder: Sendable {
    let fromClient: Bool
    let permessageDeflate: Bool
    let limits: HTTPLimits

    private struct Frame: Sendable {
        var opcode: UInt8
        var fin: Bool
        var remaining: Int
        var mask: (UInt8, UInt8, UInt8, UInt8)?
        var maskIndex = 0
        var firstPacket: Int
    }

    private struct Assembly: Sendable {
        var opcode: UInt8
        var compressed: Bool
        var payload: [UInt8] = []
        var capped = false
        var firstPacket: Int
    }

    private var frame: Frame?
    private var message: Assembly?
    private var control: [UInt8] = []
    /// The last 32 KiB of inflated output: permessage-deflate keeps the LZ77
    /// window across messages unless no_context_takeover was negotiated, and
    /// presetting it as a dictionary is harmless when it was.
    private var window: [UInt8] = []
    private(set) var failed = false
    private var warnedMask = false

    init(fromClient: Bool, permessageDeflate: Bool, limits: HTTPLimits) {
        self.fromClient = fromClient
        self.permessageDeflate = permessageDeflate
        self.limits = limits
    }

    /// Consumes frames from `buffer[start...]`; `packetAt` maps a buffer
    /// index to the packet that carried it.
    mutating func process(_ buffer: [UInt8], start: inout Int, packet: Int, packetAt: (Int) -> Int,
                          events: inout [HTTPStreamEvent]) {
        while !failed {
            if var current = frame {
                let take = min(current.remaining, buffer.count - start)
                if take == 0 && current.remaining > 0 { return }
                if take > 0 {
                    consumePayload(buffer, start, take, &current)
                    start += take
                    current.remaining -= take
                }
                frame = current
                if current.remaining > 0 { return }
                frame = nil
                finishFrame(current, packet: packet, events: &events)
                continue
            }
            let available = buffer.count - start
            guard available >= 2 else { return }
            let b0 = buffer[start], b1 = buffer[start + 1]
            let masked = b1 & 0x80 != 0
            let len7 = Int(b1 & 0x7F)
            let headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0)
            guard available >= headerLength else { return }
            var index = start + 2
            var length = len7
            if len7 == 126 {
                length = Int(buffer[index]) << 8 | Int(buffer[index + 1])
                index += 2
            } else if len7 == 127 {
                var value: UInt64 = 0
                for offset in 0..<8 { value = value << 8 | UInt64(buffer[index + offset]) }
                index += 8
                guard value >> 63 == 0, value <= UInt64(limits.maxDeclaredLength) else {
                    events.append(.malformed(HTTPProblem(.declaredLength, "WebSocket frame claims \(value) bytes")))
                    failed = true
                    return
                }
                length = Int(value)
            }
            var mask: (UInt8, UInt8, UInt8, UInt8)?
            if masked {
                mask = (buffer[index], buffer[index + 1], buffer[index + 2], buffer[index + 3])
                index += 4
            }
            let fin = b0 & 0x80 != 0
            let rsv1 = b0 & 0x40 != 0
            let opcode = b0 & 0x0F
            if b0 & 0x30 != 0 { return fail("WebSocket frame with RSV2/RSV3 set", &events) }
            switch opcode {
            case 0:
                if message == nil { return fail("WebSocket continuation frame without a message", &events) }
                if rsv1 { return fail("WebSocket continuation frame with RSV1", &events) }
            case 1, 2:
                if rsv1 && !permessageDeflate { return fail("WebSocket RSV1 without permessage-deflate", &events) }
                if let pending = message {
                    events.append(.malformed(HTTPProblem(.webSocketFrame, "WebSocket data frame inside a fragmented message")))
                    emit(pending, truncated: true, packet: packet, events: &events)
                }
                message = Assembly(opcode: opcode, compressed: rsv1, firstPacket: packetAt(start))
            case 8, 9, 10:
                if !fin || length > 125 { return fail("WebSocket control frame fragmented or over 125 bytes", &events) }
                control = []
            default:
                return fail("WebSocket reserved opcode \(opcode)", &events)
            }
            if masked != fromClient, !warnedMask {
                warnedMask = true
                events.append(.malformed(HTTPProblem(.webSocketFrame, fromClient ? "unmasked WebSocket frame from the client" : "masked WebSocket frame from the server")))
            }
            frame = Frame(opcode: opcode, fin: fin, remaining: length, mask: mask, firstPacket: packetAt(start))
            start = index
        }
    }

    private mutating func consumePayload(_ buffer: [UInt8], _ from: Int, _ count: Int, _ frame: inout Frame) {
        var bytes = Array(buffer[from..<(from + count)])
        if let mask = frame.mask {
            let key = [mask.0, mask.1, mask.2, mask.3]
            var maskIndex = frame.maskIndex
            for index in bytes.indices {
                bytes[index] ^= key[maskIndex & 3]
                maskIndex &+= 1
            }
            frame.maskIndex = maskIndex & 3
        }
        if frame.opcode >= 8 {
            control.append(contentsOf: bytes)
        } else if var assembly = message {
            message = nil  // keep the payload uniquely referenced while appending
            let room = limits.maxWebSocketMessage - assembly.payload.count
            if bytes.count > room {
                assembly.payload.append(contentsOf: bytes.prefix(max(room, 0)))
                assembly.capped = true
            } else {
                assembly.payload.append(contentsOf: bytes)
            }
            message = assembly
        }
    }

    private mutating func finishFrame(_ frame: Frame, packet: Int, events: inout [HTTPStreamEvent]) {
        if frame.opcode >= 8 {
            events.append(.webSocket(WebSocketMessage(opcode: frame.opcode, payload: control, fromClient: fromClient,
                                                      firstPacket: frame.firstPacket, lastPacket: packet)))
            control = []
            if frame.opcode == 8 { failed = true }  // nothing valid follows a close frame
            return
        }
        guard frame.fin, let assembly = message else { return }
        message = nil
        emit(assembly, truncated: false, packet: packet, events: &events)
    }

    private mutating func emit(_ assembly: Assembly, truncated: Bool, packet: Int, events: inout [HTTPStreamEvent]) {
        var payload = assembly.payload
        var cut = truncated || assembly.capped
        if assembly.compressed {
            // RFC 7692 §7.2.2: append 00 00 ff ff and inflate as raw deflate.
            let result = Decompression.inflate(payload + [0x00, 0x00, 0xFF, 0xFF], windowBits: -15,
                                               limit: limits.maxWebSocketMessage, dictionary: window, syncFlush: true)
            if result.failed && result.output.isEmpty {
                events.append(.malformed(HTTPProblem(.webSocketFrame, "WebSocket message did not inflate")))
            } else {
                payload = result.output
                cut = cut || result.capped || result.failed
                window.append(contentsOf: payload)
                if window.count > 32 << 10 { window.removeFirst(window.count - (32 << 10)) }
            }
        }
        events.append(.webSocket(WebSocketMessage(opcode: assembly.opcode, payload: payload, fromClient: fromClient,
                                                  compressed: assembly.compressed, truncated: cut,
                                                  firstPacket: assembly.firstPacket, lastPacket: packet)))
    }

    private mutating func fail(_ why: String, _ events: inout [HTTPStreamEvent]) {
        events.append(.malformed(HTTPProblem(.webSocketFrame, why)))
        failed = true
    }

    /// End of stream or a gap: hand out a partial data message, marked cut.
    mutating func flush(packet: Int, events: inout [HTTPStreamEvent]) {
        if let assembly = message {
            message = nil
            emit(assembly, truncated: true, packet: packet, events: &events)
        }
        frame = nil
    }
}
