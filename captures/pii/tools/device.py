"""The tester's device: the identifiers device.yaml lists, shared by the PI corpora (captures/pii and
captures/pii-shapes, whose device.yaml files are the same) so they are written down once.

Synthetic but valid: IMEIs/ICCID pass Luhn, IMSI is 460-01, MACs are unicast.
"""
IMEI = "861234567890127"
IMEI2 = "861234567890135"
MEID = "A10000497B3C2D"
IMSI = "460011234567890"           # 460-01 China Unicom
ICCID = "89860119123456789014"     # 20 digits, Luhn, 8986 01
PHONE = "13912348876"
AID = "3f9a1c7e5b2d4086"
OAID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
MAC = "a4:50:46:1c:7e:92"
BSSID = "3c:46:d8:12:ab:cd"
SSID = "TP-LINK_8A2C"
SERIAL = "R58N3A1BC2D"
HOME_LAT, HOME_LON = "22.543096", "114.057865"
# device.yaml, key by key, in this order
DEVICE = [("imei", IMEI), ("imei2", IMEI2), ("meid", MEID), ("imsi", IMSI), ("iccid", ICCID),
          ("phone", PHONE), ("android_id", AID), ("oaid", OAID), ("mac", MAC),
          ("wifi_bssid", BSSID), ("wifi_ssid", SSID), ("serial", SERIAL),
          ("home_lat", HOME_LAT), ("home_lon", HOME_LON)]
