#!/usr/bin/env python3
"""Build the wirecheck PI corpus: real loopback captures + device.yaml + manifest.yaml + README.md.

Run as root from make.sh (tcpdump needs CAP_NET_RAW). Loopback only, ports 48001-48053.
Each capture: start local server(s), start tcpdump on lo, wait 1 s, run the real client
exchange, wait 1 s, stop tcpdump (SIGINT).
"""
import base64
import gzip
import hashlib
import json
import os
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request
import zlib

import brotli
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import ids  # noqa: E402
import recording  # noqa: E402
# the tester's device (device.py: shared with captures/pii-shapes)
from device import (IMEI, IMEI2, MEID, IMSI, ICCID, PHONE, AID, OAID, MAC, BSSID, SSID, SERIAL,  # noqa: E402
                    HOME_LAT, HOME_LON)
from recording import curl, h, http_exchange, recv_all, tcp_exchange, udp_exchange  # noqa: E402

# ---------------------------------------------------------------- other people's / other devices' PI
IMEI_OTHER = "867582041234567"
RID1 = "110105199003071239"
RID2 = "440305199207150032"
RID_X = "51010719760512106X"
CARD19 = "6217001234567890122"
CARD16 = "6212261234567898"
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
IDFV = "0E3B2C1A-9F8D-4E7C-B6A5-1D2C3B4A5F6E"
OAID64 = hashlib.sha256(b"wirecheck-vendor-oaid").hexdigest()
SERIAL_OTHER = "7HX5T18B29004321"
ICCID19 = "8986011912345678903"    # 19 digits, Luhn
IMSI_OTHER = "460030123456789"     # 460-03 China Telecom
TOKEN_BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjEwMDA4Nn0.c2lnbmF0dXJlLXdjLXRlc3Q"
TOKEN_COOKIE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"

# ---------------------------------------------------------------- decoys
REQ_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
TRACE_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
ORDER15 = "202311230945127"        # 15 digits, fails Luhn
TXN15 = "170000000012345"          # 15 digits, fails Luhn
ORDER18 = "202311231200345678"     # 18 digits, region 20xxxx invalid, fails MOD 11-2
BIZ18 = "110105198506150012"       # valid region + date, wrong check character (should be 4)
CARD_BAD = "6222021234567890123"   # 19 digits, 622202 prefix, fails Luhn
CARD16_BAD = "6212261234567897"    # 16 digits, fails Luhn
NONCE16 = "5f2b9c1e8d7a4f3b"       # random 16-hex id under a non-identifying key
HEX24 = "9c1e8d7a4f3b5f2b0a6de1c2"
IMEI_NEAR = "861234567890128"      # the device IMEI with a wrong check digit
ZERO_UUID = "00000000-0000-0000-0000-000000000000"
ZERO_IMEI = "000000000000000"
ANDROID_MAC = "02:00:00:00:00:00"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
NONMOBILE = "12012345678"
HOTLINE = "4008123123"
EMPTY_MD5 = "d41d8cd98f00b204e9800998ecf8427e"

APPS14 = ["com.tencent.mm", "com.eg.android.AlipayGphone", "com.ss.android.ugc.aweme",
          "com.taobao.taobao", "com.sina.weibo", "com.tencent.mobileqq", "com.jingdong.app.mall",
          "com.xunmeng.pinduoduo", "com.sankuai.meituan", "com.autonavi.minimap",
          "com.baidu.searchbox", "com.smile.gifmaker", "com.netease.cloudmusic", "tv.danmaku.bili"]
APPS12 = ["com.tencent.mm", "com.tencent.mobileqq", "com.eg.android.AlipayGphone",
          "com.unionpay", "com.icbc", "com.chinamworld.main", "com.cmbchina.ccd.pluto.cmbActivity",
          "com.sdu.didi.psnger", "com.ctrip.ctrip", "com.dianping.v1", "com.zhihu.android",
          "com.kugou.android"]


def check_ids():
    assert ids.luhn_ok(IMEI) and ids.luhn_ok(IMEI2) and ids.luhn_ok(IMEI_OTHER)
    assert ids.luhn_ok(ICCID) and ICCID.startswith("8986") and len(ICCID) == 20
    assert not ids.luhn_ok(IMSI) and IMSI[:5] in ("46000", "46001", "46002", "46003", "46011")
    for p in (PHONE, "15900001111", "17712345678", "19912345670", "18688889999", "15391872212"):
        assert ids.mobile_ok(p), p
    for r in (RID1, RID2, RID_X):
        assert ids.rid_ok(r), r
    assert ids.luhn_ok(CARD19) and ids.luhn_ok(CARD16)
    assert ids.luhn_ok(ICCID19) and len(ICCID19) == 19 and not ids.luhn_ok(IMSI_OTHER)
    for d in (ORDER15, TXN15, CARD_BAD, CARD16_BAD, IMEI_NEAR):
        assert not ids.luhn_ok(d), d
    assert not ids.rid_ok(ORDER18) and not ids.rid_ok(BIZ18)
    assert len(MEID) == 14 and int(MEID, 16)
    assert int(MAC.split(":")[0], 16) & 1 == 0 and int(BSSID.split(":")[0], 16) & 1 == 0


# ---------------------------------------------------------------- spec helpers
CAPS = []


def E(type_, value, field, decoding, confirmed, http=None, flow=0, note=None):
    d = {"type": type_, "value": value, "field": field, "decoding": decoding,
         "confirmed": confirmed, "flow": flow}
    if http:
        d["http"] = http
    if note:
        d["note"] = note
    return d


def H(method, port, path, v6=False):
    return {"method": method, "host": ("[::1]:%d" if v6 else "127.0.0.1:%d") % port, "path": path}


def cap(file, port, server, description, expected, decoys, details, reply=None):
    def deco(fn):
        CAPS.append(dict(file=file, port=port, server=server, description=description,
                         expected=expected, decoys=decoys, details=details, run=fn, reply=reply))
        return fn
    return deco


def recv_http_response(s):
    """Read one HTTP response with Content-Length from a raw socket."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    head, rest = buf.split(b"\r\n\r\n", 1)
    n = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    while len(rest) < n:
        rest += s.recv(4096)
    return head, rest


UA_SDK = "Dalvik/2.1.0 (Linux; U; Android 12; M2012K11AC Build/SKQ1.211006.001)"

# ================================================================= captures
P = 48001


@cap("http-query-imei.pcap", P, "http",
     "curl GET with the IMEI and Android ID in the query string",
     [E("imei", IMEI, "imei", ["query"], True, H("GET", P, "/v1/report")),
      E("android_id", AID, "aid", ["query"], True, H("GET", P, "/v1/report"))],
     ["1700000000123", "1.2.3.4"],
     "`GET /v1/report?imei=...&aid=...&ts=1700000000123&sdk_ver=1.2.3.4&os=android`, curl, one "
     "connection. The 13-digit millisecond timestamp and the dotted version string are decoys.")
def c01(port):
    curl("-A", UA_SDK, "http://127.0.0.1:%d/v1/report?imei=%s&aid=%s&ts=1700000000123&sdk_ver=1.2.3.4&os=android"
         % (port, IMEI, AID))


P = 48002


@cap("http-form-login.pcap", P, "http",
     "curl POST login form: the device's phone number as user name and a password",
     [E("phone_cn", PHONE, "username", ["form"], True, H("POST", P, "/api/user/login")),
      E("password", "Wc@pass2024!", "password", ["form", "url"], False, H("POST", P, "/api/user/login"))],
     ["1700000000456", "4821"],
     "`application/x-www-form-urlencoded` body `username=13912348876&password=Wc%40pass2024%21&captcha=4821"
     "&ts=1700000000456`. The password is percent-encoded on the wire; the expected value is the decoded "
     "secret `Wc@pass2024!`. The captcha and timestamp must not fire.")
def c02(port):
    curl("-A", UA_SDK, "--data-raw",
         "username=%s&password=Wc%%40pass2024%%21&captcha=4821&ts=1700000000456" % PHONE,
         "http://127.0.0.1:%d/api/user/login" % port)


P = 48003


@cap("http-json-nested.pcap", P, "http",
     "python-requests POST of nested JSON device info ({\"dev\":{\"imei\":...}})",
     [E("imei", IMEI, "$.dev.imei", ["json:$.dev.imei"], True, H("POST", P, "/v2/device/register")),
      E("oaid", OAID, "$.dev.oaid", ["json:$.dev.oaid"], True, H("POST", P, "/v2/device/register")),
      E("imsi", IMSI, "$.dev.imsi", ["json:$.dev.imsi"], True, H("POST", P, "/v2/device/register")),
      E("mac", MAC, "$.dev.mac", ["json:$.dev.mac"], True, H("POST", P, "/v2/device/register")),
      E("serial", SERIAL, "$.dev.sn", ["json:$.dev.sn"], True, H("POST", P, "/v2/device/register"))],
     [REQ_ID, "5.2.0.1", "1700000001234"],
     "JSON body `{\"dev\": {\"imei\", \"oaid\", \"imsi\", \"mac\" (sent uppercase `A4:50:46:1C:7E:92`), "
     "\"sn\"}, \"app\": {\"pkg\", \"ver\": \"5.2.0.1\"}, \"request_id\": <uuid>, \"ts\": ...}`. "
     "The request_id UUID has no identifying key and must not be reported as OAID/IDFA.")
def c03(port):
    requests.post("http://127.0.0.1:%d/v2/device/register" % port, headers={"User-Agent": UA_SDK},
                  json={"dev": {"imei": IMEI, "oaid": OAID, "imsi": IMSI, "mac": MAC.upper(), "sn": SERIAL},
                        "app": {"pkg": "com.example.news", "ver": "5.2.0.1"},
                        "request_id": REQ_ID, "ts": 1700000001234}, timeout=10)


P = 48004


@cap("http-headers-cookies.pcap", P, "http",
     "http.client GET with X-Device-Id header, device cookie, Bearer token and a token cookie",
     [E("imei", IMEI2, "X-Device-Id", ["header:X-Device-Id"], True, H("GET", P, "/v1/ad/fetch"),
        note="device imei2"),
      E("android_id", AID, "did", ["cookie:did"], True, H("GET", P, "/v1/ad/fetch")),
      E("auth_token", TOKEN_BEARER, "Authorization", ["header:Authorization"], False, H("GET", P, "/v1/ad/fetch")),
      E("auth_token", TOKEN_COOKIE, "token", ["cookie:token"], False, H("GET", P, "/v1/ad/fetch"))],
     [TRACE_ID, "3.8.0.2"],
     "Headers `X-Device-Id: <imei2>`, `Authorization: Bearer <JWT-like token>`, "
     "`Cookie: did=<android id>; token=<32 hex>; trace_id=<uuid>`, `X-Sdk-Ver: 3.8.0.2`. "
     "The trace_id UUID is a decoy.")
def c04(port):
    http_exchange(port, ("GET", "/v1/ad/fetch?slot=splash", dict(headers={
        "User-Agent": UA_SDK, "X-Device-Id": IMEI2, "X-Sdk-Ver": "3.8.0.2",
        "Authorization": "Bearer " + TOKEN_BEARER,
        "Cookie": "did=%s; token=%s; trace_id=%s" % (AID, TOKEN_COOKIE, TRACE_ID)})))


P = 48005


@cap("http-basic-auth.pcap", P, "http",
     "curl -u: HTTP Basic authorization in plaintext",
     [E("basic_auth", "sdkuser:S3cr3t!pw", "Authorization", ["header:Authorization", "base64"], False,
        H("GET", P, "/v1/config"))],
     [],
     "`Authorization: Basic c2RrdXNlcjpTM2NyM3QhcHc=` (sdkuser:S3cr3t!pw). One finding, type basic_auth, "
     "value the decoded `user:password`.")
def c05(port):
    curl("-u", "sdkuser:S3cr3t!pw", "http://127.0.0.1:%d/v1/config" % port)


P = 48006


@cap("http-form-pinyin.pcap", P, "http",
     "curl POST KYC form with pinyin keys: sfz, shouji, yhk, mima, jd/wd",
     [E("resident_id_cn", RID1, "sfz", ["form"], False, H("POST", P, "/api/kyc/submit")),
      E("phone_cn", "15900001111", "shouji", ["form"], False, H("POST", P, "/api/kyc/submit")),
      E("bank_card", CARD19, "yhk", ["form"], False, H("POST", P, "/api/kyc/submit")),
      E("password", "wo de mima 123", "mima", ["form"], False, H("POST", P, "/api/kyc/submit")),
      E("coordinates", "39.908823,116.397470", "wd,jd", ["form"], False, H("POST", P, "/api/kyc/submit"))],
     [ORDER15],
     "Form `xingming=%E5%BC%A0%E4%BC%9F&sfz=110105199003071239&shouji=8615900001111&yhk=6217001234567890122"
     "&mima=wo+de+mima+123&jd=116.397470&wd=39.908823&dingdan=202311230945127`. shouji carries the `86` "
     "prefix (normalised to 11 digits); mima uses `+` for spaces (value `wo de mima 123`); jd = longitude "
     "(jingdu), wd = latitude (weidu), so the pair is `39.908823,116.397470` (Beijing, not the device's home). "
     "dingdan (order number, 15 digits, fails Luhn) is a decoy.")
def c06(port):
    curl("-A", UA_SDK, "--data-raw",
         "xingming=%E5%BC%A0%E4%BC%9F&sfz=" + RID1 + "&shouji=86" + "15900001111" + "&yhk=" + CARD19 +
         "&mima=wo+de+mima+123&jd=116.397470&wd=39.908823&dingdan=" + ORDER15,
         "http://127.0.0.1:%d/api/kyc/submit" % port)


P = 48007


@cap("http-query-urlencoded-json.pcap", P, "http",
     "curl GET with a percent-encoded JSON object in a query parameter, and a MAC without separators",
     [E("mac", MAC, "$.mac", ["query", "json:$.mac"], True, H("GET", P, "/v1/collect")),
      E("bssid", BSSID, "$.bssid", ["query", "json:$.bssid"], True, H("GET", P, "/v1/collect")),
      E("ssid", SSID, "$.ssid", ["query", "json:$.ssid"], True, H("GET", P, "/v1/collect"))],
     [NONCE16],
     "`GET /v1/collect?ext=%7B%22mac%22%3A%22a4%3A50%3A46%3A1c%3A7e%3A92%22%2C%22bssid%22%3A...%2C%22ssid%22"
     "%3A%22TP-LINK_8A2C%22%7D&m=A450461C7E92&nonce=5f2b9c1e8d7a4f3b`. The MAC appears twice (in ext and as "
     "bare uppercase hex in m): one finding (count 2). The 16-hex nonce is a decoy (not an Android ID).")
def c07(port):
    ext = urllib.parse.quote(json.dumps({"mac": MAC, "bssid": BSSID, "ssid": SSID}, separators=(",", ":")), safe="")
    curl("-A", UA_SDK, "http://127.0.0.1:%d/v1/collect?ext=%s&m=%s&nonce=%s"
         % (port, ext, MAC.replace(":", "").upper(), NONCE16))


P = 48008
B64_P = base64.b64encode(json.dumps({"imei": IMEI, "tel": "+86" + PHONE}, separators=(",", ":")).encode()).decode()
B64URL_Q = base64.urlsafe_b64encode(
    json.dumps({"iccid": ICCID, "sn": SERIAL, "cb": "??>>"}, separators=(",", ":")).encode()).decode().rstrip("=")
assert "-" in B64URL_Q or "_" in B64URL_Q


@cap("http-base64-fields.pcap", P, "http",
     "python-requests POST JSON whose fields hold base64 and unpadded base64url JSON",
     [E("imei", IMEI, "$.imei", ["json:$.p", "base64", "json:$.imei"], True, H("POST", P, "/v1/event")),
      E("phone_cn", PHONE, "$.tel", ["json:$.p", "base64", "json:$.tel"], True, H("POST", P, "/v1/event")),
      E("iccid", ICCID, "$.iccid", ["json:$.q", "base64url", "json:$.iccid"], True, H("POST", P, "/v1/event")),
      E("serial", SERIAL, "$.sn", ["json:$.q", "base64url", "json:$.sn"], True, H("POST", P, "/v1/event"))],
     [TRACE_ID],
     "Body `{\"p\": base64('{\"imei\":...,\"tel\":\"+8613912348876\"}'), \"q\": base64url-no-padding("
     "'{\"iccid\":...,\"sn\":...,\"cb\":\"??>>\"}') (contains `-`/`_`), \"trace_id\": <uuid>}`.")
def c08(port):
    requests.post("http://127.0.0.1:%d/v1/event" % port, headers={"User-Agent": UA_SDK},
                  json={"p": B64_P, "q": B64URL_Q, "trace_id": TRACE_ID}, timeout=10)


P = 48009
HEX_DATA = ("imsi=%s&iccid=%s" % (IMSI, ICCID)).encode().hex()


@cap("http-hex-form.pcap", P, "http",
     "urllib POST form whose data field is hex-encoded key=value text",
     [E("imsi", IMSI, "imsi", ["form", "hex", "form"], True, H("POST", P, "/v1/upload")),
      E("iccid", ICCID, "iccid", ["form", "hex", "form"], True, H("POST", P, "/v1/upload"))],
     [NONCE16],
     "Form `data=<lowercase hex of 'imsi=460011234567890&iccid=89860119123456789014'>&nonce=5f2b9c1e8d7a4f3b`. "
     "The hex text itself is long runs of digits (0x3x bytes); no numeric detector may fire on the hex.")
def c09(port):
    body = urllib.parse.urlencode({"data": HEX_DATA, "nonce": NONCE16}).encode()
    req = urllib.request.Request("http://127.0.0.1:%d/v1/upload" % port, data=body,
                                 headers={"User-Agent": UA_SDK})
    urllib.request.urlopen(req, timeout=10).read()


P = 48010
ESC_PHONE = "".join("\\u%04x" % ord(c) for c in PHONE)
JSON_ESC_BODY = ('{"shouji":"%s","email":"zhang.wei\\u0040example.com","nick":"\\u5f20\\u4f1f","v":"2.0.1.9"}'
                 % ESC_PHONE).encode()


@cap("http-json-escapes.pcap", P, "http",
     "http.client POST JSON with \\uXXXX string escapes hiding the phone number and the e-mail @",
     [E("phone_cn", PHONE, "$.shouji", ["json:$.shouji"], True, H("POST", P, "/v1/profile")),
      E("email", "zhang.wei@example.com", "$.email", ["json:$.email"], False, H("POST", P, "/v1/profile"))],
     ["2.0.1.9"],
     "Raw body `{\"shouji\":\"\\u0031\\u0033\\u0039...\",\"email\":\"zhang.wei\\u0040example.com\","
     "\"nick\":\"\\u5f20\\u4f1f\",\"v\":\"2.0.1.9\"}`: every digit of the phone is a JSON escape.")
def c10(port):
    http_exchange(port, ("POST", "/v1/profile", dict(
        body=JSON_ESC_BODY, headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": UA_SDK})))


P = 48011


@cap("http-gzip-body.pcap", P, "http",
     "python-requests POST with Content-Encoding: gzip JSON body (IMEI, Android ID, home location)",
     [E("imei", IMEI, "$.dev.imei", ["gzip", "json:$.dev.imei"], True, H("POST", P, "/v1/stat")),
      E("android_id", AID, "$.dev.androidId", ["gzip", "json:$.dev.androidId"], True, H("POST", P, "/v1/stat")),
      E("coordinates", HOME_LAT + "," + HOME_LON, "$.loc", ["gzip", "json:$.loc"], True, H("POST", P, "/v1/stat"))],
     [],
     "Body gzip (mtime 0) of `{\"dev\":{\"imei\":...,\"androidId\":...},\"loc\":{\"lat\":22.543096,"
     "\"lng\":114.057865},\"ts\":1700000001999}`; the coordinates are the device's home_lat/home_lon.")
def c11(port):
    raw = json.dumps({"dev": {"imei": IMEI, "androidId": AID},
                      "loc": {"lat": float(HOME_LAT), "lng": float(HOME_LON)}, "ts": 1700000001999}).encode()
    assert HOME_LAT.encode() in raw and HOME_LON.encode() in raw
    requests.post("http://127.0.0.1:%d/v1/stat" % port, data=gzip.compress(raw, mtime=0), timeout=10,
                  headers={"Content-Type": "application/json", "Content-Encoding": "gzip", "User-Agent": UA_SDK})


P = 48012
BLOB = base64.b64encode(gzip.compress(json.dumps({"dev": {"meid": MEID, "serialNo": SERIAL}}).encode(),
                                      mtime=0)).decode()


@cap("http-gzip-base64-blob.pcap", P, "http",
     "curl POST JSON with a base64(gzip(JSON)) blob field holding MEID and serial",
     [E("meid", MEID, "$.dev.meid", ["json:$.blob", "base64", "gzip", "json:$.dev.meid"], True,
        H("POST", P, "/v1/start")),
      E("serial", SERIAL, "$.dev.serialNo", ["json:$.blob", "base64", "gzip", "json:$.dev.serialNo"], True,
        H("POST", P, "/v1/start"))],
     ["3.0.1.7"],
     "Body `{\"ev\":\"start\",\"blob\":\"H4sI...\",\"v\":\"3.0.1.7\"}`; blob = base64(gzip('{\"dev\":{\"meid\":"
     "\"A10000497B3C2D\",\"serialNo\":\"R58N3A1BC2D\"}}')).")
def c12(port):
    body = json.dumps({"ev": "start", "blob": BLOB, "v": "3.0.1.7"}).encode()
    curl("-A", UA_SDK, "-H", "Content-Type: application/json", "--data-binary", "@-",
         "http://127.0.0.1:%d/v1/start" % port, stdin=body)


P = 48013


@cap("http-nested-json-string.pcap", P, "http",
     "python-requests POST whose payload field is a JSON document inside a JSON string",
     [E("email", "li.na@example.com.cn", "$.user.email", ["json:$.payload", "json:$.user.email"], False,
        H("POST", P, "/v1/sync")),
      E("resident_id_cn", RID_X, "$.user.idcard", ["json:$.payload", "json:$.user.idcard"], False,
        H("POST", P, "/v1/sync"))],
     [REQ_ID],
     "Body `{\"type\":\"profile\",\"payload\":\"{\\\"user\\\":{\\\"email\\\":\\\"Li.Na@Example.com.cn\\\","
     "\\\"idcard\\\":\\\"51010719760512106x\\\"}}\",\"request_id\":<uuid>}`. The e-mail is normalised to "
     "lowercase; the ID number is sent with a lowercase `x` check character and normalised to uppercase `X`.")
def c13(port):
    inner = json.dumps({"user": {"email": "Li.Na@Example.com.cn", "idcard": RID_X.lower()}})
    requests.post("http://127.0.0.1:%d/v1/sync" % port, headers={"User-Agent": UA_SDK},
                  json={"type": "profile", "payload": inner, "request_id": REQ_ID}, timeout=10)


P = 48014
CHUNKS = [b'{"dev":{"imei":"8612345', b'67890127","tel":"1391', b'2348876"},"seq":', b'1700000002000}']


@cap("http-chunked-split.pcap", P, "http",
     "http.client chunked POST whose chunk boundaries cut through the IMEI and the phone number",
     [E("imei", IMEI, "$.dev.imei", ["chunked", "json:$.dev.imei"], True, H("POST", P, "/v1/batch")),
      E("phone_cn", PHONE, "$.dev.tel", ["chunked", "json:$.dev.tel"], True, H("POST", P, "/v1/batch"))],
     ["1700000002000"],
     "`Transfer-Encoding: chunked`, four chunks `{\"dev\":{\"imei\":\"8612345` | `67890127\",\"tel\":\"1391` | "
     "`2348876\"},\"seq\":` | `1700000002000}`, each written separately (50 ms apart, so also separate TCP "
     "segments). Only the de-chunked body contains the values.")
def c14(port):
    def gen():
        for c in CHUNKS:
            yield c
            time.sleep(0.05)
    http_exchange(port, ("POST", "/v1/batch", dict(
        body=gen(), encode_chunked=True, headers={"Content-Type": "application/json", "User-Agent": UA_SDK})))


P = 48015


@cap("http-slow-segments.pcap", P, "raw-http",
     "raw-socket HTTP GET written 4 bytes per TCP segment (TCP_NODELAY, 10 ms sleeps)",
     [E("imei", IMEI, "sbh", ["query"], True, H("GET", P, "/v1/hb")),
      E("phone_cn", PHONE, "shouji", ["query"], True, H("GET", P, "/v1/hb"))],
     ["1700000002345"],
     "`GET /v1/hb?sbh=861234567890127&shouji=13912348876&t=1700000002345` (sbh = shebeihao, device number), "
     "sent 4 bytes per send() with TCP_NODELAY, so every value spans several segments.")
def c15(port):
    req = ("GET /v1/hb?sbh=%s&shouji=%s&t=1700000002345 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
           "User-Agent: %s\r\nConnection: close\r\n\r\n" % (IMEI, PHONE, port, UA_SDK)).encode()
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(0, len(req), 4):
        s.send(req[i:i + 4])
        time.sleep(0.01)
    recv_all(s)
    s.close()


P = 48016


@cap("http-pipelined.pcap", P, "raw-http",
     "three pipelined HTTP/1.1 requests written at once on one connection",
     [E("imei", IMEI, "imei", ["query"], True, H("GET", P, "/v1/a"), note="also in request 3: count 2"),
      E("android_id", AID, "androidid", ["form"], True, H("POST", P, "/v1/b"))],
     [NONCE16],
     "One send() carrying `GET /v1/a?imei=...`, `POST /v1/b` (form `androidid=...&nonce=5f2b9c1e8d7a4f3b`) and "
     "`GET /v1/c?imei=...&seq=3` (Connection: close). The IMEI repeats on the same flow: one finding, count 2, "
     "http from its first occurrence.")
def c16(port):
    host = "127.0.0.1:%d" % port
    form = "androidid=%s&nonce=%s" % (AID, NONCE16)
    reqs = ("GET /v1/a?imei=%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n\r\n" % (IMEI, host, UA_SDK) +
            "POST /v1/b HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nContent-Type: application/x-www-form-urlencoded"
            "\r\nContent-Length: %d\r\n\r\n%s" % (host, UA_SDK, len(form), form) +
            "GET /v1/c?imei=%s&seq=3 HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n"
            % (IMEI, host, UA_SDK))
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(reqs.encode())
    recv_all(s)
    s.close()


P = 48017


@cap("http-ipv6.pcap", P, "http6",
     "curl GET over IPv6 (::1) with Wi-Fi SSID/BSSID and latitude/longitude",
     [E("ssid", SSID, "ssid", ["query"], True, H("GET", P, "/v1/wifi", v6=True)),
      E("bssid", BSSID, "bssid", ["query"], True, H("GET", P, "/v1/wifi", v6=True)),
      E("coordinates", HOME_LAT + "," + HOME_LON, "latitude,longitude", ["query"], True,
        H("GET", P, "/v1/wifi", v6=True))],
     [],
     "`GET http://[::1]:48017/v1/wifi?ssid=TP-LINK_8A2C&bssid=3c%3A46%3Ad8%3A12%3Aab%3Acd&latitude=22.543096"
     "&longitude=114.057865`; Host header `[::1]:48017`.")
def c17(port):
    curl("-g", "-A", UA_SDK, "http://[::1]:%d/v1/wifi?ssid=%s&bssid=%s&latitude=%s&longitude=%s"
         % (port, SSID, urllib.parse.quote(BSSID, safe=""), HOME_LAT, HOME_LON))


P = 48018
FACE = os.path.join(HERE, "face.jpg")


def face_sha():
    return hashlib.sha256(open(FACE, "rb").read()).hexdigest()


@cap("http-multipart-face.pcap", P, "http",
     "curl multipart POST of a JPEG to /face/verify together with an ID number",
     [E("face_image", "sha256:" + (face_sha() if os.path.exists(FACE) else "?"), "image",
        ["multipart:image"], False, H("POST", P, "/face/verify")),
      E("resident_id_cn", RID2, "idcard", ["multipart:idcard"], False, H("POST", P, "/face/verify"))],
     ["1.2.3.4"],
     "curl -F multipart/form-data (curl's own random boundary, 24 dashes + 16 hex: random hex without key "
     "context, must not fire) with parts `idcard`=440305199207150032, "
     "`liveness_ver`=1.2.3.4 and `image` (filename selfie.jpg, image/jpeg, tools/face.jpg, a small synthetic "
     "gradient JPEG). face_image value = `sha256:` + SHA-256 of the JPEG bytes.")
def c18(port):
    curl("-A", UA_SDK, "-F", "idcard=" + RID2, "-F", "liveness_ver=1.2.3.4",
         "-F", "image=@%s;filename=selfie.jpg;type=image/jpeg" % FACE,
         "http://127.0.0.1:%d/face/verify" % port)


P = 48019
MP_B = "----WcSdkBoundaryQ2hQZ3Rk"


@cap("http-multipart-applist.pcap", P, "http",
     "python-requests multipart upload: MAC with dashes and an installed-app list JSON file",
     [E("mac", MAC, "mac", ["multipart:mac"], True, H("POST", P, "/v1/env")),
      E("app_list", "14 packages", "applist", ["multipart:applist", "json:$"], False, H("POST", P, "/v1/env"))],
     [],
     "multipart/form-data, boundary `%s`: part `mac` = `A4-50-46-1C-7E-92` (the device MAC, uppercase "
     "with dashes), part `applist` (applist.json, application/json) = a JSON array of 14 package names."
     % MP_B)
def c19(port):
    body = ("--%s\r\nContent-Disposition: form-data; name=\"mac\"\r\n\r\n%s\r\n"
            "--%s\r\nContent-Disposition: form-data; name=\"applist\"; filename=\"applist.json\"\r\n"
            "Content-Type: application/json\r\n\r\n%s\r\n--%s--\r\n"
            % (MP_B, MAC.upper().replace(":", "-"), MP_B, json.dumps(APPS14), MP_B)).encode()
    requests.post("http://127.0.0.1:%d/v1/env" % port, data=body, timeout=10,
                  headers={"Content-Type": "multipart/form-data; boundary=" + MP_B, "User-Agent": UA_SDK})


P = 48020


@cap("http-hashed-imei.pcap", P, "http",
     "three curl requests (three connections) carrying MD5, SHA-1 and SHA-256 digests of the device IMEI",
     [E("imei", IMEI, "imei_md5", ["query", "md5"], True, H("GET", P, "/v1/id"), flow=0),
      E("imei", IMEI, "$.did", ["json:$.did", "sha1"], True, H("POST", P, "/v1/id"), flow=1),
      E("imei", IMEI, "ih", ["query", "base64", "sha256"], True, H("GET", P, "/v1/id"), flow=2)],
     [EMPTY_MD5],
     "Flow 0: `GET /v1/id?imei_md5=<md5(IMEI) lowercase hex>`; flow 1: `POST /v1/id` JSON "
     "`{\"did\":\"<SHA-1(IMEI) UPPERCASE hex>\",\"sign\":\"d41d8cd98f00b204e9800998ecf8427e\"}`; flow 2: "
     "`GET /v1/id?ih=<base64(SHA-256(IMEI)), percent-encoded>`. Only findable with --device; each hit is "
     "type imei, value the raw IMEI, confirmed. The `sign` (MD5 of the empty string) is a decoy.")
def c20(port):
    base = "http://127.0.0.1:%d/v1/id" % port
    curl("-A", UA_SDK, base + "?imei_md5=" + h("md5", IMEI, "hex"))
    time.sleep(0.2)
    curl("-A", UA_SDK, "-H", "Content-Type: application/json", "--data-raw",
         json.dumps({"did": h("sha1", IMEI, "HEX"), "sign": EMPTY_MD5}), base)
    time.sleep(0.2)
    curl("-A", UA_SDK, base + "?ih=" + urllib.parse.quote(h("sha256", IMEI, "b64"), safe=""))


P = 48021


@cap("http-hashed-androidid.pcap", P, "http",
     "three python-requests connections carrying MD5/SHA-1/SHA-256 digests of the Android ID",
     [E("android_id", AID, "X-Aid-Md5", ["header:X-Aid-Md5", "md5"], True, H("GET", P, "/v1/cfg"), flow=0),
      E("android_id", AID, "aidh", ["cookie:aidh", "sha1"], True, H("GET", P, "/v1/cfg"), flow=1),
      E("android_id", AID, "$.u", ["json:$.u", "sha256"], True, H("POST", P, "/v1/cfg"), flow=2)],
     [HEX24],
     "Flow 0: header `X-Aid-Md5: <MD5(android_id) UPPERCASE hex>`; flow 1: cookie `aidh=<SHA-1 lowercase hex>`; "
     "flow 2: JSON `{\"u\":\"<SHA-256 lowercase hex>\",\"r\":\"9c1e8d7a4f3b5f2b0a6de1c2\"}` (r: random hex decoy).")
def c21(port):
    base = "http://127.0.0.1:%d/v1/cfg" % port
    requests.get(base, headers={"User-Agent": UA_SDK, "X-Aid-Md5": h("md5", AID, "HEX")}, timeout=10)
    time.sleep(0.2)
    requests.get(base, headers={"User-Agent": UA_SDK, "Cookie": "aidh=" + h("sha1", AID, "hex")}, timeout=10)
    time.sleep(0.2)
    requests.post(base, headers={"User-Agent": UA_SDK}, json={"u": h("sha256", AID, "hex"), "r": HEX24}, timeout=10)


P = 48022
TEXT_LINES = [b"HELO sdk=pushlib/4.2.0.3\r\n",
              b"AUTH " + PHONE.encode() + b" 1700000003456\r\n",
              b"DEV " + IMEI.encode() + b" " + IMSI.encode() + b" " + ICCID.encode() + b"\r\n",
              b"ORD " + ORDER15.encode() + b" " + TXN15.encode() + b"\r\n",
              b"BYE\r\n"]


@cap("socket-text-protocol.pcap", P, "raw-text",
     "raw TCP client speaking a made-up line protocol (no HTTP) with phone, IMEI, IMSI, ICCID",
     [E("phone_cn", PHONE, None, ["raw"], True),
      E("imei", IMEI, None, ["raw"], True),
      E("imsi", IMSI, None, ["raw"], True),
      E("iccid", ICCID, None, ["raw"], True)],
     ["4.2.0.3", "1700000003456", ORDER15, TXN15],
     "Lines `HELO sdk=pushlib/4.2.0.3`, `AUTH 13912348876 1700000003456`, "
     "`DEV 861234567890127 460011234567890 89860119123456789014`, `ORD 202311230945127 170000000012345`, `BYE`, "
     "one line per send, server answers `+OK` to each. No key names: the device file confirms the IMSI/ICCID; "
     "the two 15-digit order numbers fail Luhn.")
def c22(port):
    tcp_exchange(port, TEXT_LINES)


P = 48023


def tlv(t, v):
    return struct.pack("!BH", t, len(v)) + v


BIN_MSGS = [
    b"\xc0\xde\x01\x01" + tlv(0x01, IMEI.encode()) + tlv(0x02, MAC.upper().encode()) + tlv(0x03, OAID.encode())
    + tlv(0x04, b"\x00" * 8) + tlv(0x05, struct.pack("!Q", 1700000003999)),
    b"\xc0\xde\x01\x02" + tlv(0x06, json.dumps({"seq": 2, "ver": "6.1.0.2"}).encode()),
]
BIN_MSGS = [m[:2] + struct.pack("!H", len(m)) + m[2:] for m in BIN_MSGS]


@cap("socket-binary-tlv.pcap", P, "raw-bin",
     "raw TCP client speaking a made-up binary TLV protocol with ASCII IMEI, MAC and OAID values",
     [E("imei", IMEI, None, ["raw"], True),
      E("mac", MAC, None, ["raw"], True),
      E("oaid", OAID, None, ["raw"], True)],
     ["6.1.0.2"],
     "Messages `C0 DE <u16 len> 01 <type>` + TLVs (u8 tag, u16 length): 0x01 IMEI (ASCII), 0x02 MAC "
     "`A4:50:46:1C:7E:92`, 0x03 OAID, 0x04 eight zero bytes, 0x05 u64 timestamp; a second message with a "
     "small JSON `{\"seq\": 2, \"ver\": \"6.1.0.2\"}`. Binary framing bytes surround every value.")
def c23(port):
    tcp_exchange(port, BIN_MSGS)


P = 48024
UDP_DGRAMS = [b"v=2&imei=" + IMEI2.encode() + b"&lat=39.908823&lng=116.397470&ts=1700000004567",
              json.dumps({"evt": "wifi", "ssid": "ChinaNet-Home", "bssid": "f4:83:cd:5a:19:e2",
                          "trace_id": TRACE_ID}).encode()]


@cap("udp-telemetry.pcap", P, "udp",
     "two UDP telemetry datagrams from one socket: key=value text and JSON",
     [E("imei", IMEI2, "imei", ["form"], True, note="device imei2"),
      E("coordinates", "39.908823,116.397470", "lat,lng", ["form"], False),
      E("ssid", "ChinaNet-Home", "$.ssid", ["json:$.ssid"], False),
      E("bssid", "f4:83:cd:5a:19:e2", "$.bssid", ["json:$.bssid"], False)],
     [TRACE_ID, "1700000004567"],
     "Datagram 1 `v=2&imei=861234567890135&lat=39.908823&lng=116.397470&ts=1700000004567`; datagram 2 "
     "`{\"evt\": \"wifi\", \"ssid\": \"ChinaNet-Home\", \"bssid\": \"f4:83:cd:5a:19:e2\", \"trace_id\": <uuid>}`. "
     "The server answers each with `{\"code\":0}`. One UDP flow. Decoding given as `form`/`json` (raw UDP "
     "payload parsed as key=value / JSON); `raw` is equally acceptable.")
def c24(port):
    udp_exchange(port, UDP_DGRAMS)


P = 48053
DNS_NAMES = ["api.sdk-example.cn",
             IMEI + ".imei.c.sdk-example.cn",
             PHONE + ".m.c.sdk-example.cn",
             h("md5", AID, "hex") + ".aid.c.sdk-example.cn",
             NONCE16 + ".cdn.sdk-example.cn",
             "1700000000123.t.sdk-example.cn"]


def dns_query(name, qid):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\x00" + struct.pack("!HH", 1, 1)
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q


@cap("dns-exfil.pcap", P, "dns",
     "DNS A queries (one UDP socket) carrying the IMEI, phone and MD5(Android ID) in labels",
     [E("imei", IMEI, None, ["dns"], True),
      E("phone_cn", PHONE, None, ["dns"], True),
      E("android_id", AID, None, ["dns", "md5"], True)],
     [NONCE16, "1700000000123"],
     "Queries to the local responder on 127.0.0.1:48053 (answers NXDOMAIN echoing the question): "
     + ", ".join("`%s`" % n for n in DNS_NAMES) + ". One UDP flow; the responses echo the names (same flow). "
     "The random-hex CDN label and the timestamp label are decoys.")
def c25(port):
    udp_exchange(port, [dns_query(n, 0x5a00 + i) for i, n in enumerate(DNS_NAMES)], 512)


P = 48026
WS_MSG1 = json.dumps({"type": "hello", "deviceId": IMEI, "request_id": REQ_ID}, separators=(",", ":")).encode()
WS_FRAGS = [b'{"type":"loc","mobile":"186888', b'89999","latitude":31.23', b'0416,"longitude":121.473701}']


def ws_frame(op, payload, fin, mask):
    n = len(payload)
    hdr = bytes([(0x80 if fin else 0) | op]) + (bytes([0x80 | n]) if n < 126 else bytes([0xFE]) + struct.pack("!H", n))
    return hdr + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(payload))


@cap("websocket-telemetry.pcap", P, "http",
     "WebSocket after HTTP Upgrade: masked client text frames, one message fragmented across three frames",
     [E("imei", IMEI, "$.deviceId", ["websocket", "json:$.deviceId"], True, H("GET", P, "/ws/telemetry")),
      E("phone_cn", "18688889999", "$.mobile", ["websocket", "json:$.mobile"], False, H("GET", P, "/ws/telemetry")),
      E("coordinates", "31.230416,121.473701", "$.latitude,$.longitude", ["websocket", "json:$"], False,
        H("GET", P, "/ws/telemetry"))],
     [REQ_ID],
     "`GET /ws/telemetry` Upgrade (fixed Sec-WebSocket-Key), 101 from the server, then masked client frames: "
     "text `{\"type\":\"hello\",\"deviceId\":<IMEI>,\"request_id\":<uuid>}`; a fragmented text message "
     "(text FIN=0 | continuation FIN=0 | continuation FIN=1) `{\"type\":\"loc\",\"mobile\":\"186888` | "
     "`89999\",\"latitude\":31.23` | `0416,\"longitude\":121.473701}` cutting the phone and the latitude; "
     "close frame. Each frame uses a different fixed masking key, so values are only visible after unmasking "
     "and reassembly. http is the Upgrade request's.")
def c26(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(("GET /ws/telemetry HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               "User-Agent: okhttp/3.12.13\r\n\r\n" % port).encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(4096)
    assert b" 101 " in buf.split(b"\r\n")[0]
    s.sendall(ws_frame(1, WS_MSG1, True, b"\x37\xfa\x21\x3d"))
    s.recv(100)
    masks = [b"\x5c\x81\xe2\x09", b"\xa7\x13\x6b\xd4", b"\x0e\x9f\x44\xb2"]
    for i, (frag, m) in enumerate(zip(WS_FRAGS, masks)):
        s.sendall(ws_frame(1 if i == 0 else 0, frag, i == len(WS_FRAGS) - 1, m))
        time.sleep(0.05)
    s.recv(100)
    s.sendall(ws_frame(8, b"\x03\xe8", True, b"\x11\x22\x33\x44"))
    recv_all(s)
    s.close()


P = 48027
NOPII_JSON = {"request_id": REQ_ID, "trace_id": TRACE_ID, "orderNo": ORDER15, "order_id": ORDER18,
              "bizId": BIZ18, "txn": TXN15, "nonce": NONCE16, "hash": HEX24, "sdk_ver": "1.2.3.4",
              "hotline": NONMOBILE, "service": HOTLINE, "idfa": ZERO_UUID, "oaid": ZERO_UUID,
              "mac": ANDROID_MAC, "wifi_mac": BCAST_MAC, "imei": ZERO_IMEI, "amount_ref": CARD_BAD,
              "coupon": CARD16_BAD, "price_range": "31.2304,121.4737", "ref": IMEI_NEAR,
              "cover": "https://cdn.example.cn/a/user@2x.png", "sign": EMPTY_MD5}


@cap("no-pii.pcap", P, "http",
     "curl GET and python-requests POST full of look-alikes and placeholders, and no PI at all",
     [],
     [REQ_ID, TRACE_ID, ORDER15, ORDER18, BIZ18, TXN15, NONCE16, HEX24, "1.2.3.4", "3.1.4.2", NONMOBILE, HOTLINE,
      ZERO_UUID, ANDROID_MAC, BCAST_MAC, ZERO_IMEI, CARD_BAD, CARD16_BAD, "31.2304,121.4737", IMEI_NEAR,
      "user@2x.png", "icon@3x.png", EMPTY_MD5, "1700000000123"],
     "Flow 0: curl `GET /static/img/icon@3x.png?v=3.1.4.2&ts=1700000000123`. Flow 1: requests POST /v1/config "
     "JSON with: request_id/trace_id UUIDs, 15-digit order/txn numbers failing Luhn, an 18-digit order id "
     "(invalid region) and an 18-digit bizId with a valid region and date but a wrong MOD 11-2 check "
     "character, random hex nonce/hash, version 1.2.3.4, `12012345678` (120 is not a mobile segment), "
     "`4008123123` (400 service number), placeholder `idfa`/`oaid` all-zero UUID, `mac` 02:00:00:00:00:00, "
     "`wifi_mac` ff:ff:ff:ff:ff:ff, `imei` 000000000000000, a 19-digit 622202... and a 16-digit 621226... number "
     "failing Luhn, a coordinate-like pair under `price_range`, `861234567890128` (the device IMEI with a wrong "
     "check digit) under `ref`, `user@2x.png` in a URL, and MD5 of the empty string. The server's answer "
     "is `{\"code\":0,\"server_time\":1700000009876,\"request_id\":<uuid>}`. Expected: no PI findings.",
     reply=('{"code":0,"server_time":1700000009876,"request_id":"%s"}' % REQ_ID).encode())
def c27(port):
    curl("-A", UA_SDK, "http://127.0.0.1:%d/static/img/icon@3x.png?v=3.1.4.2&ts=1700000000123" % port)
    time.sleep(0.2)
    requests.post("http://127.0.0.1:%d/v1/config" % port, json=NOPII_JSON, headers={"User-Agent": UA_SDK},
                  timeout=10)


P = 48028


@cap("http-ios-idfa.pcap", P, "http",
     "python-requests POST from an iOS SDK with IDFA (uppercase) and IDFV (sent lowercase)",
     [E("idfa", IDFA, "$.idfa", ["json:$.idfa"], False, H("POST", P, "/v1/ios/activate")),
      E("idfv", IDFV, "$.idfv", ["json:$.idfv"], False, H("POST", P, "/v1/ios/activate"))],
     [REQ_ID, "17.1.2"],
     "JSON `{\"idfa\":\"6D92078A-...\",\"idfv\":\"0e3b2c1a-...\"(lowercase on the wire),\"os\":\"iOS 17.1.2\","
     "\"model\":\"iPhone15,2\",\"request_id\":<uuid>}`. Not the test device (device.yaml is an Android "
     "phone), so not confirmed; IDFV normalised to uppercase.")
def c28(port):
    requests.post("http://127.0.0.1:%d/v1/ios/activate" % port, timeout=10,
                  headers={"User-Agent": "NewsApp/5.2 CFNetwork/1474 Darwin/23.0.0"},
                  json={"idfa": IDFA, "idfv": IDFV.lower(), "os": "iOS 17.1.2", "model": "iPhone15,2",
                        "request_id": REQ_ID})


P = 48029
PHONE_FORM = urllib.parse.urlencode([("tel1", "+86" + PHONE), ("tel2", "0086" + "17712345678"),
                                     ("tel3", "86" + "19912345670"), ("contact", "+86 139 1234 8876"),
                                     ("mail", "ZHANG.Wei@Example.COM"),
                                     ("avatar", "https://cdn.example.cn/img/user@2x.png"),
                                     ("hotline", HOTLINE), ("fax", NONMOBILE)])


@cap("http-phone-prefixes.pcap", P, "http",
     "urllib POST form with +86/0086/86-prefixed mobile numbers, a spaced number and an e-mail",
     [E("phone_cn", PHONE, "tel1", ["form"], True, H("POST", P, "/v1/contacts"),
        note="also in contact as '+86 139 1234 8876': count 2"),
      E("phone_cn", "17712345678", "tel2", ["form"], False, H("POST", P, "/v1/contacts")),
      E("phone_cn", "19912345670", "tel3", ["form"], False, H("POST", P, "/v1/contacts")),
      E("email", "zhang.wei@example.com", "mail", ["form"], False, H("POST", P, "/v1/contacts"))],
     ["user@2x.png", HOTLINE, NONMOBILE],
     "Form (urlencode, so `+86` is `%2B86` and spaces are `+`): tel1=+8613912348876, tel2=008617712345678, "
     "tel3=8619912345670, contact=`+86 139 1234 8876` (the device phone with spaces), mail=ZHANG.Wei@Example.COM, "
     "avatar URL ending `user@2x.png`, hotline 4008123123, fax 12012345678.")
def c29(port):
    req = urllib.request.Request("http://127.0.0.1:%d/v1/contacts" % port, data=PHONE_FORM.encode(),
                                 headers={"User-Agent": UA_SDK})
    urllib.request.urlopen(req, timeout=10).read()


P = 48030


@cap("http-deflate-body.pcap", P, "http",
     "python-requests POST with Content-Encoding: deflate (zlib) JSON: another device's IMEI and serial",
     [E("imei", IMEI_OTHER, "$.devices[0].imei", ["deflate", "json:$.devices[0].imei"], False,
        H("POST", P, "/v1/bind")),
      E("serial", SERIAL_OTHER, "$.devices[0].sn", ["deflate", "json:$.devices[0].sn"], False,
        H("POST", P, "/v1/bind")),
      E("iccid", ICCID19, "$.devices[0].iccid", ["deflate", "json:$.devices[0].iccid"], False,
        H("POST", P, "/v1/bind")),
      E("imsi", IMSI_OTHER, "$.devices[0].imsi", ["deflate", "json:$.devices[0].imsi"], False,
        H("POST", P, "/v1/bind"))],
     ["7.0.0.1"],
     "Body zlib.compress of `{\"devices\":[{\"imei\":\"867582041234567\",\"sn\":\"7HX5T18B29004321\","
     "\"iccid\":\"8986011912345678903\",\"imsi\":\"460030123456789\",\"fw\":\"7.0.0.1\"}]}` (19-digit ICCID, "
     "IMSI of 460-03 China Telecom; a bound cellular smart device, not the test phone: pattern hits, not confirmed).")
def c30(port):
    raw = json.dumps({"devices": [{"imei": IMEI_OTHER, "sn": SERIAL_OTHER, "iccid": ICCID19, "imsi": IMSI_OTHER,
                                   "fw": "7.0.0.1"}]}).encode()
    requests.post("http://127.0.0.1:%d/v1/bind" % port, data=zlib.compress(raw), timeout=10,
                  headers={"Content-Type": "application/json", "Content-Encoding": "deflate", "User-Agent": UA_SDK})


P = 48031
BR_BODY = json.dumps({"user": {"mobile": "15391872212", "bankCard": CARD16}, "orderNo": ORDER18,
                      "bizId": BIZ18, "coupon": CARD16_BAD}).encode()


@cap("http-brotli-body.pcap", P, "http",
     "curl POST with Content-Encoding: br (brotli) JSON: mobile number, bank card and look-alikes",
     [E("phone_cn", "15391872212", "$.user.mobile", ["brotli", "json:$.user.mobile"], False, H("POST", P, "/v1/pay")),
      E("bank_card", CARD16, "$.user.bankCard", ["brotli", "json:$.user.bankCard"], False, H("POST", P, "/v1/pay"))],
     [ORDER18, BIZ18, CARD16_BAD],
     "Body brotli of `{\"user\":{\"mobile\":\"15391872212\",\"bankCard\":\"6212261234567898\"},\"orderNo\":"
     "\"202311231200345678\",\"bizId\":\"110105198506150012\",\"coupon\":\"6212261234567897\"}`; the last three "
     "fail their checks.")
def c31(port):
    curl("-A", UA_SDK, "-H", "Content-Type: application/json", "-H", "Content-Encoding: br",
         "--data-binary", "@-", "http://127.0.0.1:%d/v1/pay" % port, stdin=brotli.compress(BR_BODY))


P = 48032
OAID_FORM = urllib.parse.urlencode([("oaid", OAID64), ("al", ",".join(APPS12)), ("nonce", NONCE16)])


@cap("http-oaid-applist-form.pcap", P, "http",
     "urllib POST form with a 64-hex vendor OAID and a comma-separated installed-app list",
     [E("oaid", OAID64, "oaid", ["form"], False, H("POST", P, "/v1/ad/req")),
      E("app_list", "12 packages", "al", ["form"], False, H("POST", P, "/v1/ad/req"))],
     [NONCE16],
     "Form `oaid=<64 lowercase hex>&al=com.tencent.mm%2Ccom.tencent.mobileqq%2C...(12 packages)&nonce=...`. "
     "The OAID is another device's (vivo/OPPO-style 64-hex form), not confirmed.")
def c32(port):
    req = urllib.request.Request("http://127.0.0.1:%d/v1/ad/req" % port, data=OAID_FORM.encode(),
                                 headers={"User-Agent": UA_SDK})
    urllib.request.urlopen(req, timeout=10).read()


P = 48033


@cap("http-keepalive-meid.pcap", P, "http",
     "python http.client keep-alive: two GETs on one connection, PI (MEID, ICCID) only in the second request",
     [E("meid", MEID, "X-Meid", ["header:X-Meid"], True, H("GET", P, "/v1/sim")),
      E("iccid", ICCID, "iccid", ["query"], True, H("GET", P, "/v1/sim"))],
     [REQ_ID, "1700000009876"],
     "Two requests on one keep-alive connection: `GET /v1/ping` (no PI), then `GET /v1/sim?iccid=...` with "
     "header `X-Meid: a10000497b3c2d` (the device MEID in lowercase; normalised uppercase). The server "
     "answers each with `{\"code\":0,\"server_time\":1700000009876,\"request_id\":<uuid>}` (decoys).",
     reply=('{"code":0,"server_time":1700000009876,"request_id":"%s"}' % REQ_ID).encode())
def c33(port):
    http_exchange(port, ("GET", "/v1/ping", dict(headers={"User-Agent": UA_SDK})),
                  ("GET", "/v1/sim?iccid=" + ICCID, dict(headers={"User-Agent": UA_SDK, "X-Meid": MEID.lower()})))


# ================================================================= driver
MANIFEST_HEAD = (
    "# Labelled PI corpus for wirecheck (issue 4). Generated by make.sh (tools/corpus.py).\n"
    "# expected: one item per (type, normalised value, flow); flow = 0-based index of the TCP\n"
    "#   connection / UDP 5-tuple in the capture in order of first packet (= tshark tcp.stream or\n"
    "#   udp.stream, each capture uses one port). confirmed = matches device.yaml.\n"
    "# decoys: raw strings present in the capture that must not be reported as PI.\n")


def make_face(path):
    """A small synthetic 'selfie' (cartoon face on a gradient), baseline JPEG, made once with Pillow."""
    from PIL import Image, ImageDraw
    im = Image.new("RGB", (64, 64))
    for y in range(64):
        for x in range(64):
            im.putpixel((x, y), (200 - y, 190 - y // 2, 170 + x // 4))
    d = ImageDraw.Draw(im)
    d.ellipse((14, 8, 50, 52), fill=(232, 196, 170))
    d.ellipse((22, 22, 28, 28), fill=(40, 30, 30))
    d.ellipse((36, 22, 42, 28), fill=(40, 30, 30))
    d.arc((24, 30, 40, 44), 20, 160, fill=(150, 60, 60), width=2)
    im.save(path, "JPEG", quality=85)


README_HEAD = open(os.path.join(HERE, "README-head.md")).read()


def write_readme():
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README_HEAD)
        f.write(recording.readme_totals(CAPS))
        recording.write_readme_captures(f, CAPS, lambda c: "port %d%s" % (
            c["port"], ", IPv6 ::1" if c["server"] == "http6" else ""))


def main():
    check_ids()
    if not os.path.exists(FACE):
        make_face(FACE)
    sha = face_sha()
    for c in CAPS:
        for e in c["expected"]:
            if e["type"] == "face_image":
                e["value"] = "sha256:" + sha
    only = set(sys.argv[1:])
    for c in CAPS:
        if not only or c["file"] in only:
            recording.run_capture(c, OUT)
    recording.write_device(os.path.join(OUT, "device.yaml"))
    recording.write_manifest(os.path.join(OUT, "manifest.yaml"), MANIFEST_HEAD, CAPS)
    write_readme()


if __name__ == "__main__":
    main()
