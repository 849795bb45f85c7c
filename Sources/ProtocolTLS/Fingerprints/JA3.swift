import TLSModel
import Crypto
import WireBytes

/// JA3 and JA3S (Salesforce): `SSLVersion,Ciphers,Extensions,EllipticCurves,
/// EllipticCurvePointFormats` of a ClientHello, and `SSLVersion,Cipher,
/// SSLExtension` of a ServerHello; decimal values, `-` inside a field, GREASE
/// (RFC 8701) values removed from every list, then the lowercase hex MD5.
public enum JA3 {
    /// Lowercase hex MD5 of `string`.
    public static func hash(_ string: String) -> String {
        Hex.string(Insecure.MD5.hash(data: Array(string.utf8)))
    }

    static func join<T: BinaryInteger>(_ values: [T]) -> String {
        values.map { String($0) }.joined(separator: "-")
    }

}

extension ClientHello {
    /// `771,4865-4866-…,0-11-10-…,29-23-…,0` (GREASE removed from all lists).
    public var ja3String: String {
        let ciphers = cipherSuites.filter { !$0.isGREASE }.map(\.rawValue)
        let extensions = extensionTypes.filter { !isGREASEValue($0) }
        let groups = supportedGroups.filter { !$0.isGREASE }.map(\.rawValue)
        return [
            String(legacyVersion.rawValue),
            JA3.join(ciphers),
            JA3.join(extensions),
            JA3.join(groups),
            JA3.join(ecPointFormats),
        ].joined(separator: ",")
    }

    /// Lowercase hex MD5 of `ja3String`.
    public var ja3: String { JA3.hash(ja3String) }
}

extension ServerHello {
    /// JA3S: `SSLVersion,Cipher,SSLExtension` (legacy version, decimal).
    public var ja3sString: String {
        [
            String(legacyVersion.rawValue),
            String(cipherSuite.rawValue),
            JA3.join(extensionTypes.filter { !isGREASEValue($0) }),
        ].joined(separator: ",")
    }

    public var ja3s: String { JA3.hash(ja3sString) }
}
