import CertificateModel
/// Static OID tables: attribute types (RFC 4519 / RFC 5280 Appendix A),
/// named curves (RFC 5480, SEC 2, RFC 5639, GB/T 32918), signature algorithms
/// (RFC 3279, RFC 4055, RFC 5758, RFC 8410, GM/T 0006) and digests.
enum OIDRegistry {
    /// AttributeType OID → RFC 4514 / OpenSSL short name.
    static let attributeShortNames: [String: String] = [
        "2.5.4.3": "CN",
        "2.5.4.6": "C",
        "2.5.4.8": "ST",
        "2.5.4.7": "L",
        "2.5.4.10": "O",
        "2.5.4.11": "OU",
        "1.2.840.113549.1.9.1": "emailAddress",
        "2.5.4.5": "serialNumber",
        "0.9.2342.19200300.100.1.25": "DC",
        "0.9.2342.19200300.100.1.1": "UID",
        "2.5.4.9": "street",
        "2.5.4.12": "title",
        "2.5.4.42": "GN",
        "2.5.4.4": "SN",
        "2.5.4.43": "initials",
        "2.5.4.44": "generationQualifier",
        "2.5.4.46": "dnQualifier",
        "2.5.4.65": "pseudonym",
        "2.5.4.17": "postalCode",
        "2.5.4.15": "businessCategory",
        "2.5.4.97": "organizationIdentifier",
        "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
        "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
    ]

    static let commonNameOID = "2.5.4.3"

    struct Curve {
        let name: String
        let bits: Int
    }

    /// Named-curve OID → name (as OpenSSL/IANA spell it) and size in bits.
    static let curves: [String: Curve] = [
        "1.2.840.10045.3.1.7": Curve(name: "secp256r1", bits: 256),
        "1.3.132.0.34": Curve(name: "secp384r1", bits: 384),
        "1.3.132.0.35": Curve(name: "secp521r1", bits: 521),
        "1.3.132.0.33": Curve(name: "secp224r1", bits: 224),
        "1.2.840.10045.3.1.1": Curve(name: "secp192r1", bits: 192),
        "1.2.840.10045.3.1.2": Curve(name: "prime192v2", bits: 192),
        "1.2.840.10045.3.1.3": Curve(name: "prime192v3", bits: 192),
        "1.2.840.10045.3.1.4": Curve(name: "prime239v1", bits: 239),
        "1.2.840.10045.3.1.5": Curve(name: "prime239v2", bits: 239),
        "1.2.840.10045.3.1.6": Curve(name: "prime239v3", bits: 239),
        "1.3.132.0.10": Curve(name: "secp256k1", bits: 256),
        "1.3.132.0.31": Curve(name: "secp192k1", bits: 192),
        "1.3.132.0.32": Curve(name: "secp224k1", bits: 224),
        "1.3.132.0.6": Curve(name: "secp112r1", bits: 112),
        "1.3.132.0.7": Curve(name: "secp112r2", bits: 112),
        "1.3.132.0.28": Curve(name: "secp128r1", bits: 128),
        "1.3.132.0.29": Curve(name: "secp128r2", bits: 128),
        "1.3.132.0.9": Curve(name: "secp160k1", bits: 160),
        "1.3.132.0.8": Curve(name: "secp160r1", bits: 160),
        "1.3.132.0.30": Curve(name: "secp160r2", bits: 160),
        "1.3.132.0.1": Curve(name: "sect163k1", bits: 163),
        "1.3.132.0.2": Curve(name: "sect163r1", bits: 163),
        "1.3.132.0.15": Curve(name: "sect163r2", bits: 163),
        "1.3.132.0.26": Curve(name: "sect233k1", bits: 233),
        "1.3.132.0.27": Curve(name: "sect233r1", bits: 233),
        "1.3.132.0.16": Curve(name: "sect283k1", bits: 283),
        "1.3.132.0.17": Curve(name: "sect283r1", bits: 283),
        "1.3.132.0.36": Curve(name: "sect409k1", bits: 409),
        "1.3.132.0.37": Curve(name: "sect409r1", bits: 409),
        "1.3.132.0.38": Curve(name: "sect571k1", bits: 571),
        "1.3.132.0.39": Curve(name: "sect571r1", bits: 571),
        "1.3.36.3.3.2.8.1.1.1": Curve(name: "brainpoolP160r1", bits: 160),
        "1.3.36.3.3.2.8.1.1.2": Curve(name: "brainpoolP160t1", bits: 160),
        "1.3.36.3.3.2.8.1.1.3": Curve(name: "brainpoolP192r1", bits: 192),
        "1.3.36.3.3.2.8.1.1.4": Curve(name: "brainpoolP192t1", bits: 192),
        "1.3.36.3.3.2.8.1.1.5": Curve(name: "brainpoolP224r1", bits: 224),
        "1.3.36.3.3.2.8.1.1.6": Curve(name: "brainpoolP224t1", bits: 224),
        "1.3.36.3.3.2.8.1.1.7": Curve(name: "brainpoolP256r1", bits: 256),
        "1.3.36.3.3.2.8.1.1.8": Curve(name: "brainpoolP256t1", bits: 256),
        "1.3.36.3.3.2.8.1.1.9": Curve(name: "brainpoolP320r1", bits: 320),
        "1.3.36.3.3.2.8.1.1.10": Curve(name: "brainpoolP320t1", bits: 320),
        "1.3.36.3.3.2.8.1.1.11": Curve(name: "brainpoolP384r1", bits: 384),
        "1.3.36.3.3.2.8.1.1.12": Curve(name: "brainpoolP384t1", bits: 384),
        "1.3.36.3.3.2.8.1.1.13": Curve(name: "brainpoolP512r1", bits: 512),
        "1.3.36.3.3.2.8.1.1.14": Curve(name: "brainpoolP512t1", bits: 512),
        sm2OID: Curve(name: "SM2", bits: 256),
    ]

    static let sm2OID = "1.2.156.10197.1.301"

    struct Signature {
        let name: String
        let hash: SignatureDigest
    }

    static let rsaPSSOID = "1.2.840.113549.1.1.10"
    static let ecdsaWithSpecifiedOID = "1.2.840.10045.4.3"

    /// Signature algorithm OID → OpenSSL long name and digest.
    static let signatures: [String: Signature] = [
        "1.2.840.113549.1.1.2": Signature(name: "md2WithRSAEncryption", hash: .md2),
        "1.2.840.113549.1.1.3": Signature(name: "md4WithRSAEncryption", hash: .md4),
        "1.2.840.113549.1.1.4": Signature(name: "md5WithRSAEncryption", hash: .md5),
        "1.2.840.113549.1.1.5": Signature(name: "sha1WithRSAEncryption", hash: .sha1),
        "1.2.840.113549.1.1.14": Signature(name: "sha224WithRSAEncryption", hash: .sha224),
        "1.2.840.113549.1.1.11": Signature(name: "sha256WithRSAEncryption", hash: .sha256),
        "1.2.840.113549.1.1.12": Signature(name: "sha384WithRSAEncryption", hash: .sha384),
        "1.2.840.113549.1.1.13": Signature(name: "sha512WithRSAEncryption", hash: .sha512),
        "1.2.840.113549.1.1.15": Signature(name: "sha512-224WithRSAEncryption", hash: .unknown),
        "1.2.840.113549.1.1.16": Signature(name: "sha512-256WithRSAEncryption", hash: .unknown),
        rsaPSSOID: Signature(name: "RSASSA-PSS", hash: .sha1),  // hash refined from parameters
        "1.3.14.3.2.29": Signature(name: "sha1WithRSA", hash: .sha1),
        "1.3.14.3.2.3": Signature(name: "md5WithRSA", hash: .md5),
        "1.3.14.3.2.15": Signature(name: "shaWithRSAEncryption", hash: .sha1),  // SHA-0
        "1.3.14.3.2.13": Signature(name: "dsaWithSHA", hash: .sha1),  // SHA-0
        "1.3.14.3.2.27": Signature(name: "dsaWithSHA1-old", hash: .sha1),
        "2.5.8.3.100": Signature(name: "sha1WithRSA", hash: .sha1),
        "1.2.840.10040.4.3": Signature(name: "dsaWithSHA1", hash: .sha1),
        "2.16.840.1.101.3.4.3.1": Signature(name: "dsa_with_SHA224", hash: .sha224),
        "2.16.840.1.101.3.4.3.2": Signature(name: "dsa_with_SHA256", hash: .sha256),
        "2.16.840.1.101.3.4.3.3": Signature(name: "dsa_with_SHA384", hash: .sha384),
        "2.16.840.1.101.3.4.3.4": Signature(name: "dsa_with_SHA512", hash: .sha512),
        "2.16.840.1.101.3.4.3.5": Signature(name: "dsa_with_SHA3-224", hash: .unknown),
        "2.16.840.1.101.3.4.3.6": Signature(name: "dsa_with_SHA3-256", hash: .unknown),
        "2.16.840.1.101.3.4.3.7": Signature(name: "dsa_with_SHA3-384", hash: .unknown),
        "2.16.840.1.101.3.4.3.8": Signature(name: "dsa_with_SHA3-512", hash: .unknown),
        "2.16.840.1.101.3.4.3.9": Signature(name: "ecdsa_with_SHA3-224", hash: .unknown),
        "2.16.840.1.101.3.4.3.10": Signature(name: "ecdsa_with_SHA3-256", hash: .unknown),
        "2.16.840.1.101.3.4.3.11": Signature(name: "ecdsa_with_SHA3-384", hash: .unknown),
        "2.16.840.1.101.3.4.3.12": Signature(name: "ecdsa_with_SHA3-512", hash: .unknown),
        "2.16.840.1.101.3.4.3.13": Signature(name: "RSA-SHA3-224", hash: .unknown),
        "2.16.840.1.101.3.4.3.14": Signature(name: "RSA-SHA3-256", hash: .unknown),
        "2.16.840.1.101.3.4.3.15": Signature(name: "RSA-SHA3-384", hash: .unknown),
        "2.16.840.1.101.3.4.3.16": Signature(name: "RSA-SHA3-512", hash: .unknown),
        "1.2.840.10045.4.1": Signature(name: "ecdsa-with-SHA1", hash: .sha1),
        "1.2.840.10045.4.3.1": Signature(name: "ecdsa-with-SHA224", hash: .sha224),
        "1.2.840.10045.4.3.2": Signature(name: "ecdsa-with-SHA256", hash: .sha256),
        "1.2.840.10045.4.3.3": Signature(name: "ecdsa-with-SHA384", hash: .sha384),
        "1.2.840.10045.4.3.4": Signature(name: "ecdsa-with-SHA512", hash: .sha512),
        ecdsaWithSpecifiedOID: Signature(name: "ecdsa-with-Specified", hash: .unknown),  // hash from parameters
        "1.3.101.112": Signature(name: "ED25519", hash: .intrinsic),
        // FIPS 204 ML-DSA and FIPS 205 SLH-DSA (NIST CSOR; RFC 9881, RFC 9909): pure signatures, no separate digest.
        "2.16.840.1.101.3.4.3.17": Signature(name: "ML-DSA-44", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.18": Signature(name: "ML-DSA-65", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.19": Signature(name: "ML-DSA-87", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.20": Signature(name: "SLH-DSA-SHA2-128s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.21": Signature(name: "SLH-DSA-SHA2-128f", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.22": Signature(name: "SLH-DSA-SHA2-192s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.23": Signature(name: "SLH-DSA-SHA2-192f", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.24": Signature(name: "SLH-DSA-SHA2-256s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.25": Signature(name: "SLH-DSA-SHA2-256f", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.26": Signature(name: "SLH-DSA-SHAKE-128s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.27": Signature(name: "SLH-DSA-SHAKE-128f", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.28": Signature(name: "SLH-DSA-SHAKE-192s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.29": Signature(name: "SLH-DSA-SHAKE-192f", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.30": Signature(name: "SLH-DSA-SHAKE-256s", hash: .intrinsic),
        "2.16.840.1.101.3.4.3.31": Signature(name: "SLH-DSA-SHAKE-256f", hash: .intrinsic),
        "1.3.101.113": Signature(name: "ED448", hash: .intrinsic),
        "1.2.156.10197.1.501": Signature(name: "SM2-with-SM3", hash: .sm3),
        "1.2.643.2.2.3": Signature(name: "GOST R 34.11-94 with GOST R 34.10-2001", hash: .unknown),
        "1.2.643.2.2.4": Signature(name: "GOST R 34.11-94 with GOST R 34.10-94", hash: .unknown),
        "1.2.643.7.1.1.3.2": Signature(name: "GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)", hash: .unknown),
        "1.2.643.7.1.1.3.3": Signature(name: "GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)", hash: .unknown),
    ]

    /// Hash algorithm OID → digest (for RSASSA-PSS and ecdsa-with-Specified parameters).
    static let digests: [String: SignatureDigest] = [
        "1.2.840.113549.2.2": .md2,
        "1.2.840.113549.2.4": .md4,
        "1.2.840.113549.2.5": .md5,
        "1.3.14.3.2.26": .sha1,
        "2.16.840.1.101.3.4.2.4": .sha224,
        "2.16.840.1.101.3.4.2.1": .sha256,
        "2.16.840.1.101.3.4.2.2": .sha384,
        "2.16.840.1.101.3.4.2.3": .sha512,
        "1.2.156.10197.1.401": .sm3,
    ]

    /// SubjectPublicKeyInfo algorithm OID → key type (id-ecPublicKey is refined by curve).
    /// SLH-DSA parameter sets by OID (FIPS 205 Table 2), and their security categories' strength.
    static let slhdsaParameterSets: [String: String] = [
        "2.16.840.1.101.3.4.3.20": "SLH-DSA-SHA2-128s",
        "2.16.840.1.101.3.4.3.21": "SLH-DSA-SHA2-128f",
        "2.16.840.1.101.3.4.3.22": "SLH-DSA-SHA2-192s",
        "2.16.840.1.101.3.4.3.23": "SLH-DSA-SHA2-192f",
        "2.16.840.1.101.3.4.3.24": "SLH-DSA-SHA2-256s",
        "2.16.840.1.101.3.4.3.25": "SLH-DSA-SHA2-256f",
        "2.16.840.1.101.3.4.3.26": "SLH-DSA-SHAKE-128s",
        "2.16.840.1.101.3.4.3.27": "SLH-DSA-SHAKE-128f",
        "2.16.840.1.101.3.4.3.28": "SLH-DSA-SHAKE-192s",
        "2.16.840.1.101.3.4.3.29": "SLH-DSA-SHAKE-192f",
        "2.16.840.1.101.3.4.3.30": "SLH-DSA-SHAKE-256s",
        "2.16.840.1.101.3.4.3.31": "SLH-DSA-SHAKE-256f",
    ]

    static let keyTypes: [String: KeyType] = [
        "1.2.840.113549.1.1.1": .rsa,  // rsaEncryption
        "2.5.8.1.1": .rsa,  // id-ea-rsa (X.500)
        "1.2.840.113549.1.1.7": .rsa,  // id-RSAES-OAEP
        rsaPSSOID: .rsaPSS,
        "1.2.840.10040.4.1": .dsa,  // id-dsa
        "1.3.14.3.2.12": .dsa,  // OIW dsa
        ecPublicKeyOID: .ec,
        "1.3.132.1.12": .ec,  // id-ecDH
        "1.3.132.1.13": .ec,  // id-ecMQV
        sm2OID: .sm2,
        "1.3.101.112": .ed25519,
        "1.3.101.113": .ed448,
        "1.3.101.110": .x25519,
        "1.3.101.111": .x448,
        "2.16.840.1.101.3.4.3.17": .mldsa44,
        "2.16.840.1.101.3.4.3.18": .mldsa65,
        "2.16.840.1.101.3.4.3.19": .mldsa87,
        "2.16.840.1.101.3.4.3.20": .slhdsa,
        "2.16.840.1.101.3.4.3.21": .slhdsa,
        "2.16.840.1.101.3.4.3.22": .slhdsa,
        "2.16.840.1.101.3.4.3.23": .slhdsa,
        "2.16.840.1.101.3.4.3.24": .slhdsa,
        "2.16.840.1.101.3.4.3.25": .slhdsa,
        "2.16.840.1.101.3.4.3.26": .slhdsa,
        "2.16.840.1.101.3.4.3.27": .slhdsa,
        "2.16.840.1.101.3.4.3.28": .slhdsa,
        "2.16.840.1.101.3.4.3.29": .slhdsa,
        "2.16.840.1.101.3.4.3.30": .slhdsa,
        "2.16.840.1.101.3.4.3.31": .slhdsa,
        "1.2.840.113549.1.3.1": .dh,  // dhKeyAgreement (PKCS #3)
        "1.2.840.10046.2.1": .dh,  // dhpublicnumber (X9.42)
        "1.2.643.2.2.19": .gost,  // GOST R 34.10-2001
        "1.2.643.2.2.20": .gost,  // GOST R 34.10-94
        "1.2.643.7.1.1.1.1": .gost,  // GOST R 34.10-2012 256
        "1.2.643.7.1.1.1.2": .gost,  // GOST R 34.10-2012 512
    ]

    static let ecPublicKeyOID = "1.2.840.10045.2.1"
    static let primeFieldOID = "1.2.840.10045.1.1"
    static let characteristicTwoFieldOID = "1.2.840.10045.1.2"
    static let subjectAltNameOID = "2.5.29.17"
    static let basicConstraintsOID = "2.5.29.19"
}
