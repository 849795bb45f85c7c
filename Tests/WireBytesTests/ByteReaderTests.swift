import Testing
import WireBytes

@Suite struct ByteReaderTests {
    @Test func readsBigEndianIntegers() throws {
        let bytes: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A]
        var reader = ByteReader(bytes.span.bytes)
        #expect(try reader.readUInt8() == 0x01)
        #expect(try reader.readUInt16() == 0x0203)
        #expect(try reader.readUInt24() == 0x040506)
        #expect(try reader.readUInt32() == 0x0708090A)
        let atEnd = reader.isAtEnd
        #expect(atEnd)
    }

    @Test func truncatedReadLeavesCursorAndReportsShortfall() throws {
        let bytes: [UInt8] = [0xAA, 0xBB]
        var reader = ByteReader(bytes.span.bytes)
        _ = try reader.readUInt8()
        #expect(throws: ParseError(.truncated(needed: 1), at: 1)) { try reader.readUInt16() }
        let offset = reader.offset
        #expect(offset == 1)
    }

    @Test func lengthPrefixedSliceCannotSeePastItsLength() throws {
        // opaque<0..255> of 2 bytes, followed by one more byte outside it.
        let bytes: [UInt8] = [0x02, 0x10, 0x20, 0x30]
        var reader = ByteReader(bytes.span.bytes)
        var inner = try reader.readLengthPrefixed(prefixBytes: 1)
        #expect(try inner.readUInt16() == 0x1020)
        #expect(throws: ParseError.self) { try inner.readUInt8() }
        #expect(try reader.readUInt8() == 0x30)
    }

    @Test func lyingLengthIsTruncationAndRewinds() throws {
        let bytes: [UInt8] = [0x00, 0x09, 0x01]
        var reader = ByteReader(bytes.span.bytes)
        #expect(throws: ParseError(.truncated(needed: 8), at: 2)) { try reader.readLengthPrefixed(prefixBytes: 2) }
        let offset = reader.offset
        #expect(offset == 0)
    }

    @Test func hexEncodingIsLowercaseByDefault() {
        #expect([UInt8]([0x00, 0xAB, 0xFF]).hexString == "00abff")
        #expect(Hex.string([0xC0, 0x2F], uppercase: true) == "C02F")
        #expect(Hex.code16(0xC02F) == "0xC02F")
        #expect(Timestamp.iso8601(nanoseconds: -1) == "1969-12-31T23:59:59.999999999Z")
        #expect(Timestamp.iso8601(seconds: 1_795_000_000) == "2026-11-18T11:06:40Z")
    }
}
