import Facts
/// What a key name (parameter, JSON key, header, cookie) says its value is.
/// A set, because one key can mean several things (`deviceId` may hold an IMEI,
/// an Android ID or an MEID).
struct ContextTags: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    static let imei = ContextTags(rawValue: 1 << 0)
    static let meid = ContextTags(rawValue: 1 << 1)
    static let imsi = ContextTags(rawValue: 1 << 2)
    static let iccid = ContextTags(rawValue: 1 << 3)
    static let phone = ContextTags(rawValue: 1 << 4)
    static let residentID = ContextTags(rawValue: 1 << 5)
    static let bankCard = ContextTags(rawValue: 1 << 6)
    static let email = ContextTags(rawValue: 1 << 7)
    static let mac = ContextTags(rawValue: 1 << 8)
    static let androidID = ContextTags(rawValue: 1 << 9)
    static let oaid = ContextTags(rawValue: 1 << 10)
    static let idfa = ContextTags(rawValue: 1 << 11)
    static let idfv = ContextTags(rawValue: 1 << 12)
    static let serial = ContextTags(rawValue: 1 << 13)
    static let latitude = ContextTags(rawValue: 1 << 14)
    static let longitude = ContextTags(rawValue: 1 << 15)
    static let location = ContextTags(rawValue: 1 << 16)
    static let password = ContextTags(rawValue: 1 << 17)
    static let token = ContextTags(rawValue: 1 << 18)
    static let ssid = ContextTags(rawValue: 1 << 19)
    static let bssid = ContextTags(rawValue: 1 << 20)
    static let appList = ContextTags(rawValue: 1 << 21)
    /// A generic device identifier key (deviceId, did, udid, 设备号 sbh).
    static let device = ContextTags(rawValue: 1 << 22)

    /// Tags whose detectors need nothing but the key: the value itself has no shape.
    static let keyedOnly: ContextTags = [.password, .token, .serial, .ssid, .bssid, .latitude, .longitude, .location,
                                         .androidID, .oaid, .idfa, .idfv, .meid, .device, .mac, .imei, .imsi, .iccid,
                                         .residentID, .appList]
}
