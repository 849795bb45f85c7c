"""What every capture does, step by step, and what each step's flows must be named.

tools/app.py runs the steps inside the wc-tp-app namespace; tools/expect.py checks the finished
captures against the same steps with tshark and writes expectations.yaml. One list, two readers:
a step cannot be run one way and expected another.

Step keys
  kind      curl | requests | tls_nosni | s_client | http_ip | raw | dnsq | keepalive | sleep
  url       for curl / requests (scheme decides TLS; a name in the URL is resolved by glibc -> one
            DNS flow before the connection, an IP literal is not)
  via       for curl: connect to this stand-in address instead (curl --connect-to, no DNS)
  host      for tls_nosni / s_client / raw / keepalive: the name resolved by glibc first, or None
  addr      for tls_nosni / s_client / http_ip: connect straight to this address (no DNS)
  expect    the connection's flow: server_name, name_source, sdk, party, pi (type -> number of
            requests in this flow carrying it), note; attribution: address when the SDK is known
            from a documented hard-coded address alone
  dns_note  note for the DNS flow the step's own resolution makes
"""
import gzip
import hashlib
import json
import urllib.parse

from net import APP_PKG, APP_VER, DEVICE as D, UA

IMEI, OAID, AID, MAC, PHONE, LAT, LON = (D["imei"], D["oaid"], D["android_id"], D["mac"],
                                         D["phone"], D["lat"], D["lon"])
IMEI_MD5 = hashlib.md5(IMEI.encode()).hexdigest()
FIXED_MS = 1718000000000  # request-body clocks are fixed so bodies are identical on every run
J = dict(separators=(",", ":"), ensure_ascii=False)


def umeng_body(with_location=True, seq=1):
    header = {
        "appkey": "5f9a0c1e8a5b3c0012345678", "channel": "huawei", "app_version": APP_VER,
        "version_code": "682", "package_name": APP_PKG, "sdk_type": "Android",
        "sdk_version": "9.6.8", "device_model": "M2102J2SC", "os": "Android", "os_version": "12",
        "resolution": "1080*2400", "carrier": "中国联通", "access": "wifi",
        "imei": IMEI, "oaid": OAID, "android_id": AID, "mc": MAC,
        "timezone": 8, "country": "CN", "language": "zh",
    }
    if with_location:
        header["lat"] = float(LAT)
        header["lng"] = float(LON)
    body = {"header": header, "analytics": {"sessions": [{
        "id": "4A1F2B3C4D5E6F708192A3B4C5D6E7F%d" % seq, "start_time": FIXED_MS,
        "end_time": FIXED_MS + 5123, "pages": [{"page_name": "MainActivity", "duration": 5123}]}]}}
    return gzip.compress(json.dumps(body, **J).encode(), mtime=0)


UMENG_HEADERS = {"Content-Type": "envelope/json", "Msg-Type": "envelope/json",
                 "Content-Encoding": "gzip", "X-Umeng-UTC": str(FIXED_MS),
                 "X-Umeng-Sdk": "Android/9.6.8 %s/%s (M2102J2SC; Android 12)" % (APP_PKG, APP_VER)}

JPUSH_FORM = {"appkey": "a1b2c3d4e5f6a7b8c9d0e1f2", "platform": "a", "sdk_ver": "5.2.0",
              "imei": IMEI, "imsi": D["imsi"], "android_id": AID, "uid": "0", "apn": "wifi",
              "pkg": APP_PKG}

GDT_EXT = {"req": {"c_os": "android", "c_osver": "12", "c_pkgname": APP_PKG, "c_device": "M2102J2SC",
                   "muidtype": 1, "muid": IMEI_MD5, "oaid": OAID, "androidid": AID,
                   "conn": 1, "carrier": 2, "sdk_ver": "4.570.1440"}}
GDT_PARAMS = {"adposcount": "1", "count": "1", "posid": "8863364436303842593", "posw": "1080",
              "posh": "1920", "datatype": "2", "support_features": "1023",
              "ext": json.dumps(GDT_EXT, **J)}

APP_LIST = ["com.tencent.mm", "com.eg.android.AlipayGphone", "com.taobao.taobao",
            "com.jingdong.app.mall", "com.ss.android.ugc.aweme", "com.sankuai.meituan",
            "com.xingin.xhs", "com.tencent.mobileqq"]
PANGLE_BODY = {
    "request_id": "6f1c2d3e-4b5a-4978-8d6c-5b4a39281706", "ad_sdk_version": "5.9.1.6",
    "source_type": "app",
    "app": {"appid": "5123456", "name": "示例购", "package_name": APP_PKG, "version": APP_VER},
    "device": {"imei": IMEI, "android_id": AID, "oaid": OAID, "mac": MAC, "os": 1,
               "os_version": "12", "vendor": "Xiaomi", "model": "M2102J2SC", "conn_type": 1,
               "screen_width": 1080, "screen_height": 2400, "app_list": APP_LIST},
    "adslots": [{"id": "887654321", "adtype": 5, "accepted_size": [{"width": 1080, "height": 1920}]}],
    "ts": FIXED_MS // 1000,
}

AMAP_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
BAIDU_AK = "Xy7fQ2mN8pL3kR9sT4vW6zA1bC5dE0gH"


def amap_regeo(lat=LAT, lon=LON):
    return ("http://restapi.amap.com/v3/geocode/regeo?key=%s&location=%s,%s&extensions=base"
            "&output=JSON" % (AMAP_KEY, lon, lat))


FIRST_PARTY_ADDRESS = {"uid": 10086, "mobile": PHONE, "lat": LAT, "lng": LON,
                       "detail": "福田区深南大道", "device": {"android_id": AID}}

BAIDU_SECRET, BAIDU_T = "1234567890", "1893456000"
BAIDU_SIGN = hashlib.md5(("pay.example-shop.cn-%s-%s" % (BAIDU_SECRET, BAIDU_T)).encode()).hexdigest()
VOLC_ACCT, VOLC_SECRET, VOLC_TS = "2100000001", "rU195Gb2aWaHdnfs", "1893456000000"
VOLC_SIGN = hashlib.md5("_".join(sorted([VOLC_SECRET, VOLC_TS, VOLC_ACCT, "live.example-shop.cn",
                                         "", ""])).encode()).hexdigest()

BUGLY_HEADERS = {"wup_version": "3.0", "TYPE_COMPRESS": "2", "encr_type": "rqdp{  l 3 }",
                 "bea_key": "d41b6a0cf3e52a8c", "prodId": "5e8f1a2b3c", "bundleId": APP_PKG,
                 "Content-Type": "application/octet-stream"}
BUGLY_BODY = bytes((i * 73 + 41) % 256 for i in range(412))          # encrypted JCE (opaque)
MMTLS_BODY = b"\x19\xf1\x04\x00\xa0" + bytes((i * 29 + 7) % 256 for i in range(160))
FIREBASE_BODY = b"\x0a\x8a\x01\x08\x01\x12" + bytes((i * 13 + 5) % 256 for i in range(136))


def T(name, src, sdk, party, pi=None, note=None, **kw):
    d = {"server_name": name, "name_source": src, "sdk": sdk, "party": party, "pi": pi or {}}
    if note:
        d["note"] = note
    d.update(kw)
    return d


def HTTPDNS_FLOW(sdk, note):
    return T(None, None, sdk, "third", note=note, attribution="address")


CAPTURES = {}

# ---------------------------------------------------------------- 1. session-dns-tls.pcap
CAPTURES["session-dns-tls.pcap"] = dict(
    summary="App start-up: DNS (A, CNAME chain, AAAA, HTTPS type 65, a 5 s TTL whose address is "
            "re-answered for another name), TLS with SNI, TLS without SNI named only by DNS, "
            "plain HTTP named by Host",
    consent=None,
    steps=[
        dict(kind="curl", url="https://ulogs.umeng.com/unify_logs", method="POST",
             data=umeng_body(), headers=UMENG_HEADERS,
             dns_note="A ulogs.umeng.com -> CNAME ulogs.umeng.com.gds.alibabadns.com -> A 198.18.1.10",
             expect=T("ulogs.umeng.com", "sni", "umeng-analytics", "third",
                      note="TLS 1.3, SNI; the DNS answer reached it through a CNAME chain")),
        dict(kind="s_client", host="sdk.open.talk.getui.net", sni=True,
             request=b"POST /api.php?format=json&t=1 HTTP/1.1\r\nHost: sdk.open.talk.getui.net\r\n"
                     b"Content-Type: application/octet-stream\r\nContent-Length: 16\r\n"
                     b"Connection: close\r\n\r\n" + bytes(range(0x40, 0x50)),
             expect=T("sdk.open.talk.getui.net", "sni", "getui-push", "third", note="openssl s_client, SNI")),
        dict(kind="curl", url="http://android.bugly.qq.com/rqd/async?aid=9a1c6f0e-2b3d-4e5f-8a7b-1c2d3e4f5a6b",
             method="POST", data=BUGLY_BODY, headers=BUGLY_HEADERS,
             expect=T("android.bugly.qq.com", "host", "tencent-bugly", "third",
                      note="plain HTTP, Host header; body is Bugly's encrypted JCE (no readable PI)")),
        dict(kind="tls_nosni", host="app.adjust.com",
             request=b"POST /session HTTP/1.1\r\nHost: app.adjust.com\r\nClient-SDK: android4.38.2\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n",
             expect=T("app.adjust.com", "dns", "adjust", "third",
                      note="TLS 1.3 without SNI: only the DNS answer names 198.18.4.10")),
        dict(kind="dnsq", name="firebaselogging-pa.googleapis.com", rtype="AAAA",
             expect_note="AAAA firebaselogging-pa.googleapis.com -> 2001:db8:5::11 (never connected to)"),
        dict(kind="curl", url="https://firebaselogging-pa.googleapis.com/v1/firelog/legacy/batchlog",
             method="POST", data=FIREBASE_BODY, headers={"Content-Type": "application/x-protobuf"},
             expect=T("firebaselogging-pa.googleapis.com", "sni", "firebase-analytics", "third")),
        dict(kind="dnsq", name="app-measurement.com", rtype="HTTPS",
             expect_note='HTTPS (type 65) app-measurement.com: 1 . alpn="h2,h3" ipv4hint=198.18.5.10'),
        dict(kind="curl", url="https://app-measurement.com/a", method="POST", data=FIREBASE_BODY,
             headers={"Content-Type": "application/x-www-form-urlencoded"},
             expect=T("app-measurement.com", "sni", "firebase-analytics", "third")),
        dict(kind="curl", url="https://conversions.appsflyer.com/api/v6.12/androidevent?app_id=%s&buildnumber=6.12.2" % APP_PKG,
             method="POST", data=b'{"af_events_api":"1"}', headers={"Content-Type": "application/json"},
             expect=T("conversions.appsflyer.com", "sni", "appsflyer", "third")),
        dict(kind="curl", url="https://o0.ingest.sentry.io/api/0/envelope/", method="POST",
             data=b'{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n',
             headers={"Content-Type": "application/x-sentry-envelope",
                      "X-Sentry-Auth": "Sentry sentry_version=7,sentry_client=sentry.java.android/7.3.0,sentry_key=examplePublicKey"},
             expect=T("o0.ingest.sentry.io", "sni", "sentry", "third")),
        dict(kind="curl", url="https://pangolin.snssdk.com/api/ad/union/sdk/settings/", method="POST",
             data=b'{"ver":"5.9.1.6"}', headers={"Content-Type": "application/json"},
             expect=T("pangolin.snssdk.com", "sni", "pangle-cn", "third")),
        dict(kind="curl", url="https://httpdns.huaweicloud.com/", method="GET",
             expect=T("httpdns.huaweicloud.com", "sni", "huaweicloud-httpdns", "third",
                      note="attribution by name only: Huawei's HTTPDNS answer format is not in any source read")),
        dict(kind="curl", url="http://hmma.baidu.com/app.gif", method="POST", data=bytes(range(0x80, 0xc0)),
             headers={"Content-Type": "application/octet-stream"},
             expect=T("hmma.baidu.com", "host", "baidu-mobstat", "third", note="plain HTTP, opaque body")),
        dict(kind="curl", url="http://api.example-shop.cn/v1/home/config?ver=%s&platform=android" % APP_VER,
             method="GET", expect=T("api.example-shop.cn", "host", None, "first")),
        dict(kind="curl", url="http://img.exshop-cdn.cn/img/banner.webp", method="GET",
             expect=T("img.exshop-cdn.cn", "host", None, "first")),
        # time-bound naming: 198.18.9.9 is aaid.umeng.com for 5 s, later apilocate.amap.com
        dict(kind="tls_nosni", host="aaid.umeng.com",
             request=b"GET /api/v1/aaid HTTP/1.1\r\nHost: aaid.umeng.com\r\nConnection: close\r\n\r\n",
             dns_note="A aaid.umeng.com -> 198.18.9.9, TTL 5 s",
             expect=T("aaid.umeng.com", "dns", "umeng-analytics", "third",
                      note="TLS without SNI to 198.18.9.9 while the 5 s answer for aaid.umeng.com is fresh")),
        dict(kind="sleep", seconds=8),
        dict(kind="tls_nosni", host="apilocate.amap.com",
             request=b"POST /mobile/binary HTTP/1.1\r\nHost: apilocate.amap.com\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n",
             dns_note="A apilocate.amap.com -> 198.18.9.9, the address aaid.umeng.com had; asked ~9 s after that 5 s answer, so it had expired",
             expect=T("apilocate.amap.com", "dns", "amap", "third",
                      note="same address 198.18.9.9, now named by the newer answer: naming must be time-bound")),
    ])

# ---------------------------------------------------------------- 2. httpdns-*.pcap
CAPTURES["httpdns-alibaba.pcap"] = dict(
    summary="Alibaba Cloud EMAS HTTPDNS: /{account}/d and /{account}/resolve over plain HTTP to "
            "203.107.1.1, then connections to the answered addresses with no DNS and no SNI",
    consent=None,
    steps=[
        dict(kind="curl", url="http://203.107.1.1/100000/d?host=api.example-shop.cn", via="198.19.203.1",
             expect=HTTPDNS_FLOW("aliyun-httpdns", 'answer {"host":"api.example-shop.cn","ips":["198.18.20.10"],"ttl":60,"origin_ttl":60}')),
        dict(kind="tls_nosni", addr="198.18.20.10",
             request=b"GET /v1/home/config HTTP/1.1\r\nHost: api.example-shop.cn\r\nConnection: close\r\n\r\n",
             expect=T("api.example-shop.cn", "httpdns", None, "first", note="TLS without SNI; only the HTTPDNS answer names it")),
        dict(kind="curl", url="http://203.107.1.1/100000/resolve?host=ulogs.umeng.com,img.exshop-cdn.cn", via="198.19.203.1",
             expect=HTTPDNS_FLOW("aliyun-httpdns", 'batch answer {"dns":[{"host":"ulogs.umeng.com",...,"ips":["198.18.20.12"]},{"host":"img.exshop-cdn.cn",...,"ips":["198.18.20.11"]}]}')),
        dict(kind="tls_nosni", addr="198.18.20.12",
             request=b"POST /unify_logs HTTP/1.1\r\nHost: ulogs.umeng.com\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
             expect=T("ulogs.umeng.com", "httpdns", "umeng-analytics", "third",
                      note="an SDK host resolved through HTTPDNS (Umeng uses Alibaba HTTPDNS), TLS without SNI")),
        dict(kind="http_ip", addr="198.18.20.11", path="/img/banner.webp",
             expect=T("img.exshop-cdn.cn", "httpdns", None, "first", note="plain HTTP whose Host header is the IP literal 198.18.20.11")),
    ])

CAPTURES["httpdns-tencent.pcap"] = dict(
    summary="Tencent Cloud / DNSPod HTTPDNS: GET /d?dn=&id=&ttl=1 to 119.29.29.98, plain-text "
            "answer 'ip;ip,ttl', then HTTP to the first address with an IP-literal Host",
    consent=None,
    steps=[
        dict(kind="curl", url="http://119.29.29.98/d?dn=m.example-shop.cn&id=1234&ttl=1", via="198.19.119.98",
             expect=HTTPDNS_FLOW("tencent-cloud-httpdns", "answer text 198.18.20.20;198.18.20.21,120 (dn sent unencrypted; see README)")),
        dict(kind="http_ip", addr="198.18.20.20", path="/v1/feed?page=1",
             expect=T("m.example-shop.cn", "httpdns", None, "first", note="Host header is the IP literal")),
    ])

CAPTURES["httpdns-baidu.pcap"] = dict(
    summary="Baidu AI Cloud HTTPDNS: GET /v3/resolve?account_id=&dn=&sign=&t= to 180.76.76.200, JSON "
            "answer, then TLS without SNI (openssl s_client -noservername) to the answered address",
    consent=None,
    steps=[
        dict(kind="curl", url="http://180.76.76.200/v3/resolve?account_id=107080&dn=pay.example-shop.cn&sign=%s&t=%s" % (BAIDU_SIGN, BAIDU_T),
             via="198.19.180.200",
             expect=HTTPDNS_FLOW("baidu-httpdns", 'answer {"msg":"ok","data":{"pay.example-shop.cn":{"ip":["198.18.20.30"],"ttl":300}},"clientip":"198.18.0.2"}')),
        dict(kind="s_client", addr="198.18.20.30", sni=False,
             request=b"GET /v1/pay/channels HTTP/1.1\r\nHost: pay.example-shop.cn\r\nConnection: close\r\n\r\n",
             expect=T("pay.example-shop.cn", "httpdns", None, "first", note="openssl s_client -noservername")),
    ])

CAPTURES["httpdns-volcengine.pcap"] = dict(
    summary="Volcengine HTTPDNS: httpdns.volcengineapi.com resolved by DNS, GET /resolve?domain=&"
            "account_id=&sign=&timestamp= over plain HTTP, JSON answer, then TLS without SNI",
    consent=None,
    steps=[
        dict(kind="curl", url="http://httpdns.volcengineapi.com/resolve?domain=live.example-shop.cn&account_id=%s&sign=%s&timestamp=%s" % (VOLC_ACCT, VOLC_SIGN, VOLC_TS),
             expect=T("httpdns.volcengineapi.com", "host", "volcengine-httpdns", "third",
                      note='answer {"host":"live.example-shop.cn","ips":["198.18.20.40"],"ttl":300,...}')),
        dict(kind="tls_nosni", addr="198.18.20.40",
             request=b"GET /v1/live/rooms HTTP/1.1\r\nHost: live.example-shop.cn\r\nConnection: close\r\n\r\n",
             expect=T("live.example-shop.cn", "httpdns", None, "first", note="TLS without SNI")),
    ])

# ---------------------------------------------------------------- 3. sdk-pi-plaintext.pcap
CAPTURES["sdk-pi-plaintext.pcap"] = dict(
    summary="SDKs sending PI over plain HTTP: Umeng log upload (gzip JSON with device ids and "
            "coordinates), JPush registration form, GDT ad request, Pangle ad request with the "
            "installed-app list, AMap reverse geocoding, and the app's own API",
    consent=None,
    steps=[
        dict(kind="curl", url="http://ulogs.umeng.com/unify_logs", method="POST", data=umeng_body(),
             headers=UMENG_HEADERS,
             expect=T("ulogs.umeng.com", "host", "umeng-analytics", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1, "mac": 1, "coordinates": 1},
                      note="gzip JSON: header.imei/oaid/android_id/mc(MAC)/lat,lng")),
        dict(kind="requests", url="http://tsis.jpush.cn/", method="POST", form=JPUSH_FORM,
             expect=T("tsis.jpush.cn", "host", "jiguang-jpush", "third",
                      pi={"imei": 1, "imsi": 1, "android_id": 1}, note="form-urlencoded registration")),
        dict(kind="requests", url="http://mi.gdt.qq.com/gdt_mview.fcg", method="GET", params=GDT_PARAMS,
             expect=T("mi.gdt.qq.com", "host", "tencent-gdt", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1}, hashed={"imei": "md5"},
                      note="query ext= JSON: muid = MD5(IMEI) (needs --device ../pii/device.yaml), oaid, androidid")),
        dict(kind="requests", url="http://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
             method="POST", json=PANGLE_BODY,
             expect=T("api-access.pangolin-sdk-toutiao.com", "host", "pangle-cn", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1, "mac": 1, "app_list": 1},
                      note="JSON device.imei/android_id/oaid/mac/app_list (8 packages)")),
        dict(kind="curl", url=amap_regeo(), method="GET",
             expect=T("restapi.amap.com", "host", "amap", "third", pi={"coordinates": 1},
                      note="location=lng,lat (AMap order)")),
        dict(kind="curl", url="http://api.example-shop.cn/v1/user/address", method="POST",
             data=json.dumps(FIRST_PARTY_ADDRESS, **J).encode(), headers={"Content-Type": "application/json"},
             expect=T("api.example-shop.cn", "host", None, "first",
                      pi={"phone_cn": 1, "coordinates": 1, "android_id": 1})),
    ])

# ---------------------------------------------------------------- 4. consent-*.pcap
CAPTURES["consent-agree.pcap"] = dict(
    summary="SDK traffic with PI before the user agrees (POST /v1/privacy/agree, plain HTTP), more after",
    consent={"marker": {"host": "api.example-shop.cn", "path": "/v1/privacy/agree", "method": "POST"}},
    steps=[
        dict(kind="curl", url="http://api.example-shop.cn/v1/privacy/policy?ver=2024.06", method="GET",
             expect=T("api.example-shop.cn", "host", None, "first", note="the privacy dialog's text")),
        dict(kind="sleep", seconds=2),
        dict(kind="curl", url="http://ulogs.umeng.com/unify_logs", method="POST",
             data=umeng_body(with_location=False), headers=UMENG_HEADERS,
             expect=T("ulogs.umeng.com", "host", "umeng-analytics", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1, "mac": 1}, note="before consent")),
        dict(kind="sleep", seconds=2),
        dict(kind="requests", url="http://tsis.jpush.cn/", method="POST", form=JPUSH_FORM,
             expect=T("tsis.jpush.cn", "host", "jiguang-jpush", "third",
                      pi={"imei": 1, "imsi": 1, "android_id": 1}, note="before consent")),
        dict(kind="sleep", seconds=3),
        dict(kind="curl", url="http://api.example-shop.cn/v1/privacy/agree", method="POST",
             data=b'{"policy_version":"2024.06","agree":true,"scene":"first_launch"}',
             headers={"Content-Type": "application/json"}, consent=True,
             expect=T("api.example-shop.cn", "host", None, "first", note="the consent moment")),
        dict(kind="sleep", seconds=3),
        dict(kind="requests", url="http://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
             method="POST", json=PANGLE_BODY,
             expect=T("api-access.pangolin-sdk-toutiao.com", "host", "pangle-cn", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1, "mac": 1, "app_list": 1}, note="after consent")),
        dict(kind="sleep", seconds=3),
        dict(kind="curl", url=amap_regeo(), method="GET",
             expect=T("restapi.amap.com", "host", "amap", "third", pi={"coordinates": 1},
                      note="after consent")),
    ])

CAPTURES["consent-refuse.pcap"] = dict(
    summary="The user refuses (POST /v1/privacy/refuse, plain HTTP); SDKs still send PI afterwards",
    consent={"refused": True, "marker": {"host": "api.example-shop.cn", "path": "/v1/privacy/refuse", "method": "POST"}},
    steps=[
        dict(kind="curl", url="http://api.example-shop.cn/v1/privacy/policy?ver=2024.06", method="GET",
             expect=T("api.example-shop.cn", "host", None, "first")),
        dict(kind="sleep", seconds=3),
        dict(kind="curl", url="http://api.example-shop.cn/v1/privacy/refuse", method="POST",
             data=b'{"policy_version":"2024.06","agree":false,"scene":"first_launch"}',
             headers={"Content-Type": "application/json"}, consent=True,
             expect=T("api.example-shop.cn", "host", None, "first", note="the refusal")),
        dict(kind="sleep", seconds=3),
        dict(kind="curl", url="http://ulogs.umeng.com/unify_logs", method="POST",
             data=umeng_body(with_location=False, seq=2), headers=UMENG_HEADERS,
             expect=T("ulogs.umeng.com", "host", "umeng-analytics", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1, "mac": 1}, note="after refusal")),
        dict(kind="sleep", seconds=3),
        dict(kind="curl", method="GET",
             url="http://api.map.baidu.com/reverse_geocoding/v3/?ak=%s&output=json&coordtype=wgs84ll&location=%s,%s" % (BAIDU_AK, LAT, LON),
             expect=T("api.map.baidu.com", "host", "baidu-map", "third", pi={"coordinates": 1},
                      note="after refusal; location=lat,lng (Baidu order)")),
        dict(kind="sleep", seconds=3),
        dict(kind="requests", url="http://mi.gdt.qq.com/gdt_mview.fcg", method="GET", params=GDT_PARAMS,
             expect=T("mi.gdt.qq.com", "host", "tencent-gdt", "third",
                      pi={"imei": 1, "oaid": 1, "android_id": 1}, hashed={"imei": "md5"}, note="after refusal; muid = MD5(IMEI)")),
    ])

# ---------------------------------------------------------------- 5. frequency.pcap
FREQ_N, FREQ_EVERY = 20, 2.0
FREQ_POINTS = [("%.6f" % (float(LAT) + i * 0.000013), "%.6f" % (float(LON) + i * 0.000021)) for i in range(FREQ_N)]
CAPTURES["frequency.pcap"] = dict(
    summary="AMap reverse geocoding every 2 s for ~40 s (20 requests) on one keep-alive connection",
    consent=None,
    steps=[
        dict(kind="keepalive", host="restapi.amap.com", every=FREQ_EVERY,
             paths=[amap_regeo(la, lo)[len("http://restapi.amap.com"):] for la, lo in FREQ_POINTS],
             expect=T("restapi.amap.com", "host", "amap", "third", pi={"coordinates": FREQ_N},
                      note="20 GETs, 2 s apart, one TCP connection (python http.client keep-alive)",
                      requests=FREQ_N, interval_s=FREQ_EVERY)),
    ])

# ---------------------------------------------------------------- 6. vendor-first-party.pcap
CAPTURES["vendor-first-party.pcap"] = dict(
    summary="WeChat's and Facebook's own traffic (not an SDK of the app) next to the same vendors' SDK endpoints",
    consent=None,
    steps=[
        dict(kind="curl", url="http://short.weixin.qq.com/mmtls/00005a1c", method="POST", data=MMTLS_BODY,
             headers={"User-Agent": "MicroMessenger Client", "Upgrade": "mmtls", "Accept": "*/*",
                      "Content-Type": "application/octet-stream"},
             expect=T("short.weixin.qq.com", "host", None, "unknown",
                      note="WeChat's own short link (mmtls over HTTP): not wechat-opensdk")),
        dict(kind="raw", host="long.weixin.qq.com", data=MMTLS_BODY,
             expect=T("long.weixin.qq.com", "dns", None, "unknown",
                      note="WeChat's own long link on TCP 80 (binary mmtls): not wechat-opensdk")),
        dict(kind="curl", method="GET",
             url="https://open.weixin.qq.com/connect/sdk/qrconnect?appid=wx0123456789abcdef&noncestr=5f2b9c1e&timestamp=1718000000&scope=snsapi_userinfo&signature=0a1b2c3d4e5f60718293a4b5c6d7e8f901234567",
             expect=T("open.weixin.qq.com", "sni", "wechat-opensdk", "third")),
        dict(kind="curl", url="https://www.facebook.com/", method="GET",
             expect=T("www.facebook.com", "sni", None, "unknown",
                      note="Facebook's web/app front door: not facebook-sdk although *.facebook.com matches")),
        dict(kind="curl", url="https://graph.facebook.com/v18.0/1234567890123456/activities", method="POST",
             data=b"event=MOBILE_APP_INSTALL&application_tracking_enabled=1&advertiser_tracking_enabled=1",
             headers={"Content-Type": "application/x-www-form-urlencoded"},
             expect=T("graph.facebook.com", "sni", "facebook-sdk", "third")),
    ])

# ---------------------------------------------------------------- 7. hardcoded-ip.pcap
CAPTURES["hardcoded-ip.pcap"] = dict(
    summary="SDKs connecting straight to documented HTTPDNS addresses: no DNS, no SNI, Host is the IP",
    consent=None,
    steps=[
        dict(kind="curl", url="http://203.107.1.1/100000/d?host=api.example-shop.cn", via="198.19.203.1",
             expect=HTTPDNS_FLOW("aliyun-httpdns", "plain HTTP, Host: 203.107.1.1")),
        dict(kind="curl", url="https://203.107.1.1/100000/d?host=img.exshop-cdn.cn", via="198.19.203.1",
             expect=HTTPDNS_FLOW("aliyun-httpdns", "HTTPS to an IP literal: curl sends no SNI")),
        dict(kind="curl", url="http://119.29.29.98/d?dn=m.example-shop.cn&id=1234&ttl=1", via="198.19.119.98",
             expect=HTTPDNS_FLOW("tencent-cloud-httpdns", "plain HTTP, Host: 119.29.29.98")),
    ])

ORDER = ["session-dns-tls.pcap", "httpdns-alibaba.pcap", "httpdns-tencent.pcap", "httpdns-baidu.pcap",
         "httpdns-volcengine.pcap", "sdk-pi-plaintext.pcap", "consent-agree.pcap",
         "consent-refuse.pcap", "frequency.pcap", "vendor-first-party.pcap", "hardcoded-ip.pcap"]


def step_has_dns(st):
    """Does the step resolve a name with glibc before connecting (one DNS flow)?"""
    k = st["kind"]
    if k in ("curl", "requests"):
        host = urllib.parse.urlsplit(st["url"]).hostname
        return not st.get("via") and not host.replace(".", "").isdigit()
    if k in ("tls_nosni", "s_client", "raw", "keepalive"):
        return bool(st.get("host"))
    return False
