import CertificateModel
import Crypto
import SwiftASN1
import WireBytes

/// Lenient X.509 certificate parsing (RFC 5280 §4.1) for measurement.
///
/// ```
/// Certificate  ::=  SEQUENCE  {
///      tbsCertificate       TBSCertificate,
///      signatureAlgorithm   AlgorithmIdentifier,
///      signatureValue       BIT STRING  }
///
/// TBSCertificate  ::=  SEQUENCE  {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
///                           -- If present, version MUST be v2 or v3
///      subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
///                           -- If present, version MUST be v2 or v3
///      extensions      [3]  EXPLICIT Extensions OPTIONAL
///                           -- If present, version MUST be v3
///      }
/// ```
///
/// Two phases: `DER.parse` builds the node tree (strict DER, nesting depth
/// capped at 50 by SwiftASN1, trailing bytes rejected), then a typed walk reads
/// the fields through non-throwing accessors. The walk never recurses beyond a
/// fixed depth and never traps, whatever the input.
///
/// Rejected as ``CertificateParseResult/notDER(_:)``: anything DER decoding
/// refuses (garbage, truncation, indefinite lengths, trailing bytes after the
/// certificate — a chain entry must be exactly one certificate), and DER whose
/// skeleton is not a certificate (outer SEQUENCE of three; TBSCertificate with
/// an INTEGER serial, AlgorithmIdentifier, two Names, Validity and a
/// SubjectPublicKeyInfo; a version in 0…2).
///
/// Tolerated (certificate still returned): unparseable times (nil), key
/// material that does not decode (``ObservedPublicKey/bits`` nil), unknown
/// algorithms, malformed extensions (ignored), extensions on v1/v2
/// certificates, unusual string types in names (rendered as `#hex`).
public enum CertificateParse {
    public static func parse(_ der: [UInt8]) -> CertificateParseResult {
        let digest = Hex.string(Array(SHA256.hash(data: der)))
        func reject(_ reason: String) -> CertificateParseResult {
            .notDER(NotDERCertificate(sha256: digest, byteCount: der.count, reason: reason))
        }
        guard !der.isEmpty else { return reject("empty input") }

        let root: ASN1Node
        do {
            root = try DER.parse(der)
        } catch {
            return reject("not DER: \(error)")
        }

        guard let top = DERNode.children(root, tag: .sequence) else {
            return reject("not a certificate: outer element is not a SEQUENCE")
        }
        guard top.count == 3 else {
            return reject("not a certificate: outer SEQUENCE has \(top.count) elements, expected 3")
        }
        guard let tbs = DERNode.children(top[0], tag: .sequence) else {
            return reject("not a certificate: tbsCertificate is not a SEQUENCE")
        }
        guard let outerAlgorithm = DERNode.algorithmIdentifier(top[1]) else {
            return reject("not a certificate: signatureAlgorithm is not an AlgorithmIdentifier")
        }
        guard top[2].identifier == .bitString else {
            return reject("not a certificate: signatureValue is not a BIT STRING")
        }

        var index = 0
        var version = 1
        if index < tbs.count, DERNode.isContext(tbs[index], 0) {
            guard let inner = DERNode.children(tbs[index]), inner.count == 1,
                let value = DERNode.smallInteger(inner[0]), value <= 2
            else { return reject("not a certificate: invalid version") }
            version = value + 1
            index += 1
        }
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        guard tbs.count - index >= 6 else {
            return reject("not a certificate: TBSCertificate has too few elements")
        }
        guard let serial = DERNode.integer(tbs[index]) else {
            return reject("not a certificate: serialNumber is not an INTEGER")
        }
        guard DERNode.algorithmIdentifier(tbs[index + 1]) != nil else {
            return reject("not a certificate: TBSCertificate.signature is not an AlgorithmIdentifier")
        }
        guard let issuer = NameRenderer.decode(tbs[index + 2]) else {
            return reject("not a certificate: issuer is not a Name")
        }
        guard let validity = DERNode.children(tbs[index + 3], tag: .sequence) else {
            return reject("not a certificate: validity is not a SEQUENCE")
        }
        guard let subject = NameRenderer.decode(tbs[index + 4]) else {
            return reject("not a certificate: subject is not a Name")
        }
        guard let publicKey = PublicKeyDecoder.decode(tbs[index + 5]) else {
            return reject("not a certificate: subjectPublicKeyInfo is malformed")
        }

        var extensions = ExtensionDecoder.Result()
        for node in tbs[(index + 6)...] where DERNode.isContext(node, 3) {
            extensions = ExtensionDecoder.decode(node)
        }

        let strippedSerial = Magnitude.stripped(serial)
        return .certificate(
            ObservedCertificate(
                der: der,
                sha256: digest,
                version: version,
                serialNumber: strippedSerial.isEmpty ? "00" : Hex.string(strippedSerial),
                subject: subject,
                issuer: issuer,
                notBefore: validity.count >= 1 ? ASN1Time.unixSeconds(validity[0]) : nil,
                notAfter: validity.count >= 2 ? ASN1Time.unixSeconds(validity[1]) : nil,
                publicKey: publicKey,
                signatureAlgorithm: SignatureAlgorithmDecoder.decode(
                    oid: outerAlgorithm.oid, parameters: outerAlgorithm.parameters),
                subjectAlternativeNames: extensions.subjectAlternativeNames,
                isCA: extensions.isCA))
    }
}
