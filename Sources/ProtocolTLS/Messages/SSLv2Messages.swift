import TLSModel
import WireBytes

/// SSL 2.0's plaintext handshake messages after the CLIENT-HELLO (the SSL 2.0
/// specification, Appendix A; the CLIENT-HELLO is `ClientHello(sslv2Message:)`).
public enum SSLv2Message {
    /// ```
    /// char MSG-SERVER-HELLO (4)
    /// char SESSION-ID-HIT
    /// char CERTIFICATE-TYPE
    /// char SERVER-VERSION-MSB, SERVER-VERSION-LSB
    /// char CERTIFICATE-LENGTH-MSB, -LSB
    /// char CIPHER-SPECS-LENGTH-MSB, -LSB
    /// char CONNECTION-ID-LENGTH-MSB, -LSB
    /// char CERTIFICATE-DATA[MSB<<8|LSB]
    /// char CIPHER-SPECS-DATA[MSB<<8|LSB]
    /// char CONNECTION-ID-DATA[MSB<<8|LSB]
    /// ```
    /// The hello as a `ServerHello` of version SSL 2.0 (its `sslv2CipherSpecs`
    /// listed), and the certificate's bytes (empty on a session-id hit).
    public static func serverHello(_ r: inout ByteReader) throws(ParseError) -> (hello: ServerHello, certificate: [UInt8]) {
        let typeAt = r.absoluteOffset
        let type = try r.readUInt8()
        guard type == 4 else { throw ParseError.invalid("SSL 2.0 message type \(type) is not SERVER-HELLO", at: typeAt) }
        _ = try r.readUInt8()  // SESSION-ID-HIT
        let certificateTypeAt = r.absoluteOffset
        let certificateType = try r.readUInt8()
        var hello = ServerHello()
        hello.legacyVersion = ProtocolVersion(try r.readUInt16())
        let lengthsAt = r.absoluteOffset
        let certificateLength = Int(try r.readUInt16())
        let specsLength = Int(try r.readUInt16())
        let connectionIDLength = Int(try r.readUInt16())
        guard specsLength % 3 == 0 else {
            throw ParseError.invalid("cipher_specs_length \(specsLength) is not a multiple of 3", at: lengthsAt + 2)
        }
        guard (16...32).contains(connectionIDLength) else {
            throw ParseError.invalid("connection_id_length \(connectionIDLength) outside 16...32", at: lengthsAt + 4)
        }
        // SSL2_CT_X509_CERTIFICATE is the only certificate type the specification defines.
        guard certificateLength == 0 || certificateType == 1 else {
            throw ParseError.invalid("certificate type \(certificateType) is not X.509", at: certificateTypeAt)
        }
        let certificate = try r.readBytes(count: certificateLength)
        var specs = try r.readSlice(count: specsLength)
        while !specs.isAtEnd {
            guard hello.sslv2CipherSpecs.count < WireLimits.maxCipherSuites else {
                throw ParseError(.limitExceeded("too many cipher specs"), at: specs.absoluteOffset)
            }
            hello.sslv2CipherSpecs.append(SSLv2CipherKind(try specs.readUInt24()))
        }
        hello.random = try r.readBytes(count: connectionIDLength)  // the CONNECTION-ID plays the random's part
        try r.expectEnd("SSL 2.0 SERVER-HELLO")
        return (hello, certificate)
    }

    /// ```
    /// char MSG-CLIENT-MASTER-KEY (2)
    /// char CIPHER-KIND[3]
    /// char CLEAR-KEY-LENGTH-MSB, -LSB
    /// char ENCRYPTED-KEY-LENGTH-MSB, -LSB
    /// char KEY-ARG-LENGTH-MSB, -LSB
    /// char CLEAR-KEY-DATA[...], ENCRYPTED-KEY-DATA[...], KEY-ARG-DATA[...]
    /// ```
    /// The cipher kind the client chose.
    public static func clientMasterKey(_ r: inout ByteReader) throws(ParseError) -> SSLv2CipherKind {
        let typeAt = r.absoluteOffset
        let type = try r.readUInt8()
        guard type == 2 else { throw ParseError.invalid("SSL 2.0 message type \(type) is not CLIENT-MASTER-KEY", at: typeAt) }
        let kind = SSLv2CipherKind(try r.readUInt24())
        let clear = Int(try r.readUInt16())
        let encrypted = Int(try r.readUInt16())
        let keyArgument = Int(try r.readUInt16())
        try r.skip(clear + encrypted + keyArgument)
        try r.expectEnd("SSL 2.0 CLIENT-MASTER-KEY")
        return kind
    }

    /// The SSL 2.0 record at the start of `prefix`: its header length (2, or 3
    /// with padding when the top bit is clear) and the whole record's length.
    public static func recordLengths(_ prefix: RawSpan) -> (header: Int, total: Int)? {
        guard prefix.byteCount >= 2 else { return nil }
        let first = prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self)
        let second = Int(prefix.unsafeLoad(fromByteOffset: 1, as: UInt8.self))
        if first & 0x80 != 0 { return (2, 2 + (Int(first & 0x7F) << 8 | second)) }
        return (3, 3 + (Int(first & 0x3F) << 8 | second))
    }

    /// A SERVER-HELLO's first bytes: a 2-byte header, type 4, a session-id-hit
    /// flag, certificate type 1 and server version 0x0002.
    public static func isServerHello(_ prefix: RawSpan) -> Bool {
        guard prefix.byteCount >= 7, prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self) & 0x80 != 0 else { return false }
        return byte(prefix, 2) == 4 && byte(prefix, 3) <= 1 && byte(prefix, 4) == 1 && byte(prefix, 5) == 0 && byte(prefix, 6) == 2
    }

    @inline(__always)
    static func byte(_ span: RawSpan, _ index: Int) -> UInt8 { span.unsafeLoad(fromByteOffset: index, as: UInt8.self) }

    /// A CLIENT-MASTER-KEY's first bytes: a 2-byte header, then type 2.
    public static func isClientMasterKey(_ prefix: RawSpan) -> Bool {
        guard prefix.byteCount >= 3, prefix.unsafeLoad(fromByteOffset: 0, as: UInt8.self) & 0x80 != 0 else { return false }
        return prefix.unsafeLoad(fromByteOffset: 2, as: UInt8.self) == 2
    }
}
