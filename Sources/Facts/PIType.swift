/// The kinds of personal information wirecheck recognises in plaintext traffic.
/// Raw values are the JSON contract's `pii.type` strings, so they must never be renamed.
public enum PIType: String, CaseIterable, Sendable {
    case imei, meid, imsi, iccid
    case phoneCN = "phone_cn"
    case residentIDCN = "resident_id_cn"
    case bankCard = "bank_card"
    case email, mac
    case androidID = "android_id"
    case oaid, idfa, idfv, serial, coordinates, password
    case authToken = "auth_token"
    case basicAuth = "basic_auth"
    case ssid, bssid
    case appList = "app_list"
    case faceImage = "face_image"
    case personName = "person_name"
    case address
    case birthDate = "birth_date"
    case gender
    case contactList = "contact_list"

    /// APP-GUIDE Appendix A prints these categories in bold (sensitive PI): identity
    /// documents, financial accounts, precise location, biometrics, and the
    /// credentials that guard an account (Appendix A lists passwords under
    /// "personal identity/authentication information"). Leaking them can directly
    /// harm the person, which is why a plaintext leak of one is critical, not high.
    public var isSensitiveByDefault: Bool {
        switch self {
        case .residentIDCN, .bankCard, .coordinates, .faceImage, .password, .basicAuth, .authToken, .contactList:
            return true
        default:
            return false
        }
    }

    public var displayName: String {
        switch self {
        case .imei: return "IMEI"
        case .meid: return "MEID"
        case .imsi: return "IMSI"
        case .iccid: return "ICCID"
        case .phoneCN: return "mobile phone number"
        case .residentIDCN: return "resident ID number"
        case .bankCard: return "bank card number"
        case .email: return "e-mail address"
        case .mac: return "MAC address"
        case .androidID: return "Android ID"
        case .oaid: return "OAID"
        case .idfa: return "IDFA"
        case .idfv: return "IDFV"
        case .serial: return "device serial number"
        case .coordinates: return "precise location (latitude/longitude)"
        case .password: return "password"
        case .authToken: return "authentication token"
        case .basicAuth: return "HTTP Basic credentials"
        case .ssid: return "Wi-Fi SSID"
        case .bssid: return "Wi-Fi BSSID"
        case .appList: return "installed-app list"
        case .faceImage: return "face image"
        case .personName: return "person's name"
        case .address: return "postal address"
        case .birthDate: return "date of birth"
        case .gender: return "gender"
        case .contactList: return "contact list"
        }
    }
}
