// Replaced by the generated registry tables (scripts/generate-tls-registry.py).
extension CipherSuite { static let registry: [CipherSuite.Info] = [] }
extension NamedGroup { static let registry: [NamedGroup.Info] = [] }
extension SignatureScheme { static let registry: [SignatureScheme.Info] = [] }
extension AlertDescription { static let registry: [(UInt8, String)] = [] }
extension ExtensionType { static let registry: [(UInt16, String)] = [] }
