import CertificateModel
import SwiftASN1

/// Decodes `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7) into an
/// ``ObservedPublicKey`` without rejecting unusual or weak keys.
///
/// ```
/// SubjectPublicKeyInfo  ::=  SEQUENCE  {
///      algorithm            AlgorithmIdentifier,
///      subjectPublicKey     BIT STRING  }
/// ```
enum PublicKeyDecoder {
    /// `nil` only when the SubjectPublicKeyInfo skeleton itself (SEQUENCE with an
    /// AlgorithmIdentifier and a BIT STRING) is missing.
    static func decode(_ spki: ASN1Node) -> ObservedPublicKey? {
        guard let parts = DERNode.children(spki, tag: .sequence), parts.count >= 2,
            let algorithm = DERNode.algorithmIdentifier(parts[0])
        else { return nil }
        let keyBits = DERNode.bitStringBytes(parts[1])
        let oid = algorithm.oid
        let params = algorithm.parameters
        let type = OIDRegistry.keyTypes[oid] ?? .unknown

        func key(
            _ type: KeyType, bits: Int?, curveName: String? = nil, curveOID: String? = nil,
            security: Int?, exponent: String? = nil
        ) -> ObservedPublicKey {
            ObservedPublicKey(
                algorithmOID: oid, keyType: type, bits: bits, curveName: curveName, curveOID: curveOID,
                securityBits: security, rsaExponent: exponent)
        }

        switch type {
        case .rsa, .rsaPSS:
            // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
            guard let keyBits, let node = try? DER.parse(keyBits),
                let fields = DERNode.children(node, tag: .sequence), fields.count >= 2,
                let modulus = DERNode.integer(fields[0]), let exponent = DERNode.integer(fields[1])
            else { return key(type, bits: nil, security: nil) }
            let bits = Magnitude.bitLength(modulus)
            return key(
                type, bits: bits, security: SecurityStrength.finiteField(bits),
                exponent: Magnitude.decimalOrHex(exponent))

        case .dsa, .dh:
            // Dss-Parms / DHParameter / DomainParameters: p is the first INTEGER.
            guard let params, let fields = DERNode.children(params, tag: .sequence),
                let first = fields.first, let p = DERNode.integer(first)
            else { return key(type, bits: nil, security: nil) }
            let bits = Magnitude.bitLength(p)
            return key(type, bits: bits, security: SecurityStrength.finiteField(bits))

        case .ec:
            return decodeEC(oid: oid, parameters: params, point: keyBits)

        case .sm2:
            return key(
                .sm2, bits: 256, curveName: "SM2", curveOID: OIDRegistry.sm2OID, security: 128)

        case .ed25519:
            return key(.ed25519, bits: 256, security: 128)
        case .ed448:
            return key(.ed448, bits: 456, security: 224)
        case .x25519:
            return key(.x25519, bits: 255, security: 128)
        case .x448:
            return key(.x448, bits: 448, security: 224)

        case .gost:
            // GostR3410-PublicKeyParameters ::= SEQUENCE { publicKeyParamSet OID, digestParamSet OID OPTIONAL, ... }
            var paramSet: String?
            if let params, let fields = DERNode.children(params, tag: .sequence), let first = fields.first {
                paramSet = DERNode.oid(first)
            }
            let bits: Int? = oid == "1.2.643.7.1.1.1.2" ? 512 : 256
            return key(.gost, bits: bits, curveOID: paramSet, security: bits.map(SecurityStrength.ellipticCurve))

        case .mldsa44, .mldsa65, .mldsa87:
            // The key is the raw public key (FIPS 204 pkEncode: 1312, 1952 or 2592 bytes); its size is
            // reported as that length in bits. Strength: NIST categories 2, 3 and 5.
            let security = type == .mldsa44 ? 128 : (type == .mldsa65 ? 192 : 256)
            return key(type, bits: keyBits.map { $0.count * 8 }, curveName: nil, security: security)
        case .slhdsa:
            // PK.seed ‖ PK.root: 32, 48 or 64 bytes for the 128, 192 and 256-bit parameter sets.
            let name = OIDRegistry.slhdsaParameterSets[oid]
            let security = name.map { $0.contains("128") ? 128 : ($0.contains("192") ? 192 : 256) }
            return key(.slhdsa, bits: keyBits.map { $0.count * 8 }, curveName: name, security: security)
        case .unknown:
            return key(.unknown, bits: nil, security: nil)
        }
    }

    /// ```
    /// ECParameters ::= CHOICE {
    ///   namedCurve         OBJECT IDENTIFIER
    ///   implicitCurve      NULL
    ///   specifiedCurve     SpecifiedECDomain }
    ///
    /// SpecifiedECDomain ::= SEQUENCE {
    ///   version   INTEGER, fieldID FieldID, curve Curve, base ECPoint,
    ///   order     INTEGER, cofactor INTEGER OPTIONAL, ... }
    ///
    /// FieldID ::= SEQUENCE { fieldType OBJECT IDENTIFIER, parameters ANY }
    ///   -- prime-field: parameters Prime-p ::= INTEGER
    ///   -- characteristic-two-field: parameters SEQUENCE { m INTEGER, ... }
    /// ```
    private static func decodeEC(oid: String, parameters: ASN1Node?, point: ArraySlice<UInt8>?) -> ObservedPublicKey {
        func key(_ type: KeyType, bits: Int?, name: String?, curveOID: String?) -> ObservedPublicKey {
            let security: Int? =
                type == .sm2 ? 128 : bits.map(SecurityStrength.ellipticCurve)
            return ObservedPublicKey(
                algorithmOID: oid, keyType: type, bits: bits, curveName: name, curveOID: curveOID,
                securityBits: security, rsaExponent: nil)
        }
        guard let parameters else { return key(.ec, bits: nil, name: nil, curveOID: nil) }

        if let curveOID = DERNode.oid(parameters) {
            if let curve = OIDRegistry.curves[curveOID] {
                return key(curveOID == OIDRegistry.sm2OID ? .sm2 : .ec, bits: curve.bits, name: curve.name, curveOID: curveOID)
            }
            // Unknown named curve: estimate the field size from an uncompressed
            // (0x04 ‖ X ‖ Y) or compressed (0x02/0x03 ‖ X) point.
            return key(.ec, bits: pointFieldBits(point), name: nil, curveOID: curveOID)
        }

        if let domain = DERNode.children(parameters, tag: .sequence), domain.count >= 2,
            let field = DERNode.children(domain[1], tag: .sequence), field.count >= 2,
            let fieldType = DERNode.oid(field[0])
        {
            var bits: Int?
            if fieldType == OIDRegistry.primeFieldOID, let p = DERNode.integer(field[1]) {
                bits = Magnitude.bitLength(p)
            } else if fieldType == OIDRegistry.characteristicTwoFieldOID,
                let char2 = DERNode.children(field[1], tag: .sequence), let first = char2.first,
                let m = DERNode.smallInteger(first)
            {
                bits = m
            }
            return key(.ec, bits: bits, name: nil, curveOID: nil)
        }
        return key(.ec, bits: pointFieldBits(point), name: nil, curveOID: nil)
    }

    private static func pointFieldBits(_ point: ArraySlice<UInt8>?) -> Int? {
        guard let point, let form = point.first else { return nil }
        switch form {
        case 0x04 where point.count >= 3 && (point.count - 1) % 2 == 0: return (point.count - 1) / 2 * 8
        case 0x02, 0x03: return point.count > 1 ? (point.count - 1) * 8 : nil
        default: return nil
        }
    }
}
