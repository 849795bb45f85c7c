/// TLS 1.3 EncryptedExtensions, when a decrypted handshake shows them.
public struct EncryptedExtensions: Sendable, Hashable {
    public var extensionTypes: [UInt16] = []
    public var alpn: String?
    public var supportedGroups: [NamedGroup] = []

    public init() {}
}
