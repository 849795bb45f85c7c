import TLSModel
import WireBytes

/// TLS 1.3 EncryptedExtensions (RFC 8446 §4.3.1), only visible decrypted;
/// carries the server's ALPN choice in TLS 1.3.
/// ```
/// struct {
///     Extension extensions<0..2^16-1>;
/// } EncryptedExtensions;
/// ```
extension EncryptedExtensions {
    public init(parsing r: inout ByteReader) throws(ParseError) {
        self.init()
        extensionTypes = []
        alpn = nil
        supportedGroups = []
        var block = try r.readLengthPrefixed(prefixBytes: 2)
        try r.expectEnd("EncryptedExtensions")
        while !block.isAtEnd {
            let type = try WireVectors.readExtensionType(&block, types: &extensionTypes)
            var body = try block.readLengthPrefixed(prefixBytes: 2)
            switch type {
            case ExtensionType.alpn.rawValue:
                let names = try WireVectors.readProtocolNameList(&body)
                guard names.count == 1 else {
                    throw ParseError.invalid("EncryptedExtensions ALPN must name exactly one protocol", at: body.absoluteOffset)
                }
                alpn = String(decoding: names[0], as: UTF8.self)
            case ExtensionType.supportedGroups.rawValue:
                supportedGroups = try WireVectors.readUInt16List(&body, prefixBytes: 2, what: "supported_groups")
                    .map(NamedGroup.init(rawValue:))
            default:
                continue
            }
            try body.expectEnd("extension \(type)")
        }
    }
}
