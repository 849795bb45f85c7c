#!/usr/bin/env python3
"""Build the wirecheck PI *shapes* corpus: real loopback captures + device.yaml + manifest.yaml + README.md.

The second labelled corpus (after captures/pii): the everyday shapes real apps send PI in —
numbers spelled with separators and prefixes, containers inside containers, values split across
fields, identifiers embedded in other strings, PI the detectors do not yet name, and precision
decoys. Same conventions as captures/pii/tools/corpus.py.

Run as root from make.sh (tcpdump needs CAP_NET_RAW). Loopback only, ports 49401-49430.
Each capture: start a local server, start tcpdump on lo, wait 1 s, run the real client
exchange, wait 1 s, stop tcpdump (SIGINT).
"""
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
import zlib

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# The identifiers, the device, the local servers and the recording / manifest / README writers are
# those of the first corpus (captures/pii/tools), shared, not copied.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "pii", "tools"))
import ids  # noqa: E402
import recording  # noqa: E402
# the tester's device (= captures/pii/device.yaml)
from device import IMEI, IMEI2, IMSI, ICCID, PHONE, AID, OAID, MAC, BSSID, SSID, SERIAL, HOME_LAT, HOME_LON  # noqa: E402
from ids import digits, phone_norm  # noqa: E402
from recording import curl, h, http_exchange, tcp_exchange, udp_exchange  # noqa: E402

# ---------------------------------------------------------------- other people's / other devices' PI
# Shape 1: spelled numbers (value = digits; raw = the spelling after the decoding chain)
PH_SP, PH_SP_RAW = "13812345678", "138 1234 5678"
PH_DASH, PH_DASH_RAW = "15026781234", "150-2678-1234"
PH_DOT, PH_DOT_RAW = "18611112222", "186.1111.2222"
PH_PAREN, PH_PAREN_RAW = "17755556666", "(177) 5555 6666"
PH_P86, PH_P86_RAW = "13698765432", "+86 136 9876 5432"
PH_86, PH_86_RAW = "15899990000", "86 158 9999 0000"
PH_0086, PH_0086_RAW = "19876543210", "0086 198 7654 3210"
PH_PP86, PH_PP86_RAW = "18820203030", "(+86)188-2020-3030"
PH_DEV_RAW = "+86-139-1234-8876"                  # the device's own number, +86- prefix
PH_Q, PH_Q_RAW = "13577889900", "+86 135 7788 9900"
PH_TXT, PH_TXT_RAW = "13500112233", "135 0011 2233"
PH_TCP, PH_TCP_RAW = "14712345679", "(+86) 147 1234 5679"
PH_UDP, PH_UDP_RAW = "16612348888", "+86 166-1234-8888"
PH_UDP2, PH_UDP2_RAW = "13122334455", "(131) 2233 4455"
CARD16_SP, CARD16_SP_RAW = "6225881234567898", "6225 8812 3456 7898"
CARD19_PLUS, CARD19_PLUS_RAW = "6228480012345678903", "6228 4800 1234 5678 903"
CARD16_DASH, CARD16_DASH_RAW = "6217000012345670", "6217-0000-1234-5670"
CARD19_TXT, CARD19_TXT_RAW = "6227001234567890121", "6227 0012 3456 7890 121"
CARD16_TCP, CARD16_TCP_RAW = "6258071234567896", "6258-0712-3456-7896"
RID_SP, RID_SP_RAW = "110105199003072311", "110105 19900307 2311"
RID_DASH, RID_DASH_RAW = "440305198811220047", "440305-19881122-0047"
RID_Q, RID_Q_RAW = "420106199302164813", "420106-19930216-4813"
RID_TXT, RID_TXT_RAW = "330106198506121528", "330106 19850612 1528"

# Shape 2/4: other devices
IMEI_O1 = "868890041234563"
IMEI_O3 = "864512039876544"
IMEI_O4 = "353421081234560"
IMEI_O5 = "358756051234560"
IMEI_O6 = "867400022233344"
IMEI_O7 = "869123045678901"
IMSI_O1 = "460021234567891"        # 460-02 China Mobile
IMSI_O2 = "460078765432109"        # 460-07 China Mobile
ICCID_O = "89860012345678901238"   # 20 digits, 8986 00, Luhn
OAID_O = "e3f1c2d4-7a6b-4c5d-9e8f-0a1b2c3d4e5f"
OAID_O2 = "5d8c1e7a-3b9f-4a2c-8e6d-1f0a9b8c7d6e"
AID_O = "9b7e5c3a1f2d4e60"
AID_O2 = "c4e8a2b6d0f13579"
MAC_O = "d0:17:c2:8e:5f:31"
SERIAL_O = "8KS7N19C24007711"
SERIAL_O2 = "LMX4C21A09003388"
RID_X2 = "51010719830914275X"
PH_LOG = "15611223344"
PH_ZIP, PH_ZIP_RAW = "18512345670", "+86-185-1234-5670"
PH_FRAME = "15311112222"
PH_XML = "13712345678"
PH_WX = "15912345678"
PH_B64 = "18066668888"

# Shape 5: people
NAME1, RID_N1, BIRTH1, ADDR1, PH_N1 = ("张伟", "110105199003071511", "1990-03-07",
                                       "北京市朝阳区建国路88号SOHO现代城2号楼1201室", "13812340000")
NAME2, RID_N2, BIRTH2_RAW, ADDR2 = ("欧阳晓燕", "440305199512250427", "19951225",
                                    "广东省深圳市南山区科技园南区深南大道10000号")
NAME3, PH_N3, ADDR3 = "李娜", "15712345678", "上海市浦东新区世纪大道100号环球金融中心45楼"
NAME4, ADDR4, BIRTH4_RAW = "王芳", "江苏省南京市玄武区中山路18号", "1988/11/22"
NAME5, RID_N5, BIRTH5_RAW, ADDR5 = "陈静", "310115199205180644", "1992.05.18", "浙江省杭州市西湖区文三路90号"
CONTACTS12 = [("张伟", "+86 138 2001 0001"), ("王芳", "139-2001-0002"), ("李娜", "15020010003"),
              ("刘洋", "+86 139 1234 8876"), ("陈静", "(186) 2001 0005"), ("欧阳晓燕", "+8617720010006"),
              ("杨磊", "0086 188 2001 0007"), ("赵敏", "136.2001.0008"), ("黄晓东", "13720010009"),
              ("周建华", "+86-159-2001-0010"), ("吴婷婷", "(+86)189 2001 0011"), ("司徒建国", "86 135 2001 0012")]
CONTACTS6 = [("孙丽", "+86 133 2002 0001"), ("马超", "181-2002-0002"), ("朱红梅", "17320020003"),
             ("胡斌", "(+86) 153 2002 0004"), ("郭靖宇", "0086-199-2002-0005"), ("何静", "147 2002 0006")]
CONTACTS5 = [("高远", "13620030001"), ("林晓", "+86 150 2003 0002"), ("罗敏", "185-2003-0003"),
             ("梁宇", "86 17620030004"), ("宋佳", "(158) 2003 0005")]
APPS15 = ["com.tencent.mm", "com.eg.android.AlipayGphone", "com.ss.android.ugc.aweme", "com.taobao.taobao",
          "com.sina.weibo", "com.tencent.mobileqq", "com.jingdong.app.mall", "com.xunmeng.pinduoduo",
          "com.sankuai.meituan", "com.autonavi.minimap", "com.baidu.searchbox", "com.smile.gifmaker",
          "com.netease.cloudmusic", "tv.danmaku.bili", "com.xingin.xhs"]
APPS10 = [("com.tencent.mm", "8.0.40"), ("com.eg.android.AlipayGphone", "10.5.36"), ("com.unionpay", "9.2.5"),
          ("com.icbc", "8.1.0.8.0"), ("com.chinamworld.main", "7.2.1"), ("com.cmbchina.ccd.pluto.cmbActivity", "12.1.0"),
          ("com.sdu.didi.psnger", "6.6.10"), ("com.ctrip.ctrip", "8.60.2"), ("com.dianping.v1", "11.8.15"),
          ("com.zhihu.android", "9.30.0")]
APPS8 = [("com.tencent.tmgp.sgame", "3.81.1.8"), ("com.miHoYo.Yuanshen", "4.2.0"), ("com.kugou.android", "11.0.8"),
         ("com.tencent.qqlive", "8.9.40"), ("com.youku.phone", "11.0.50"), ("com.qiyi.video", "14.11.5"),
         ("com.baidu.BaiduMap", "18.6.0"), ("com.Qunar", "10.2.3")]

# ---------------------------------------------------------------- decoys
VER = "9.1.0.12"
RID_BAD = "320102197908051234"      # valid region and date, check character should be 3
RID_BAD_X = "31010419950718002X"    # check character should be 6
RID_BAD_SP = "320102 19790805 1234"  # the same, spelled with spaces
CARD_BAD16 = "6222021234567890"     # fails Luhn (…7894 would pass)
CARD_BAD19 = "6217001234567890123"  # fails Luhn
CARD_BAD19_SP = "6228 4800 1234 5678 900"  # spelled, fails Luhn (…903 passes)
CARD_BAD16_DASH = "6222-0212-3456-7890"
ORDER_10 = "10234567890"            # 11 digits, 10… is no mobile segment
ORDER_12 = "12098765432"            # 12… neither
ORDER_12B = "12345678901"
HOTLINE = "400-820-8820"
LANDLINE = "0755-8676 5432"
USERNAME1, USERNAME2, USERNAME3 = "zhangwei_88", "ouyang_xy", "wangqiang_1988"
SHA1_APK = hashlib.sha1(b"wirecheck-shapes-apk").hexdigest()
SHA1_COMMIT = hashlib.sha1(b"wirecheck-shapes-commit").hexdigest()
SIGN_MD5 = hashlib.md5(b"wirecheck-shapes-sign").hexdigest()
SIGN_SHA1 = hashlib.sha1(b"wirecheck-shapes-sign").hexdigest().upper()
SIGN_SHA256 = hashlib.sha256(b"wirecheck-shapes-sign").hexdigest()
WX_SIGN = "C380BEC2BFD727A4B6845133519F3AD6"
WX_NONCE = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"
COARSE_1 = ("30.27", "120.16")
COARSE_2 = ("22.54", "114.06")
COARSE_3 = ("39.90", "116.41")
PRICE_1 = ("29.563009", "106.551556")
PRICE_2 = ("23.125178", "113.280637")
# Unconfirmed digests: hashes of some other IMEI (not the device's) under imei_* keys
IMEI_O8 = "862773051234564"
IMEI_O9 = "352690112345675"


def check_ids():
    for v in (IMEI, IMEI2, IMEI_O1, IMEI_O3, IMEI_O4, IMEI_O5, IMEI_O6, IMEI_O7, IMEI_O8, IMEI_O9):
        assert ids.luhn_ok(v) and len(v) == 15, v
    for v in (IMSI_O1, IMSI_O2):
        assert not ids.luhn_ok(v) and v[:5] in ("46000", "46001", "46002", "46003", "46007", "46011"), v
    assert ids.luhn_ok(ICCID_O) and ICCID_O.startswith("8986") and len(ICCID_O) == 20
    spelled = [(PH_SP, PH_SP_RAW), (PH_DASH, PH_DASH_RAW), (PH_DOT, PH_DOT_RAW), (PH_PAREN, PH_PAREN_RAW),
               (PH_P86, PH_P86_RAW), (PH_86, PH_86_RAW), (PH_0086, PH_0086_RAW), (PH_PP86, PH_PP86_RAW),
               (PHONE, PH_DEV_RAW), (PH_Q, PH_Q_RAW), (PH_TXT, PH_TXT_RAW), (PH_TCP, PH_TCP_RAW),
               (PH_UDP, PH_UDP_RAW), (PH_UDP2, PH_UDP2_RAW), (PH_ZIP, PH_ZIP_RAW)]
    for v, raw in spelled:
        assert ids.mobile_ok(v) and phone_norm(raw) == v, (v, raw)
    for v in (PH_LOG, PH_FRAME, PH_XML, PH_WX, PH_B64, PH_N1, PH_N3):
        assert ids.mobile_ok(v), v
    for _, raw in CONTACTS12 + CONTACTS6 + CONTACTS5:
        assert ids.mobile_ok(phone_norm(raw)), raw
    for v, raw in ((CARD16_SP, CARD16_SP_RAW), (CARD19_PLUS, CARD19_PLUS_RAW), (CARD16_DASH, CARD16_DASH_RAW),
                   (CARD19_TXT, CARD19_TXT_RAW), (CARD16_TCP, CARD16_TCP_RAW)):
        assert ids.luhn_ok(v) and v.startswith("62") and len(v) in (16, 19) and digits(raw) == v, v
    for v, raw in ((RID_SP, RID_SP_RAW), (RID_DASH, RID_DASH_RAW), (RID_Q, RID_Q_RAW), (RID_TXT, RID_TXT_RAW)):
        assert ids.rid_ok(v) and raw.replace(" ", "").replace("-", "") == v, v
    for v in (RID_N1, RID_N2, RID_N5, RID_X2):
        assert ids.rid_ok(v), v
    # the KYC ID numbers agree with the birth dates / genders sent beside them
    assert RID_N1[6:14] == BIRTH1.replace("-", "") and int(RID_N1[16]) % 2 == 1      # 张伟, 男
    assert RID_N2[6:14] == BIRTH2_RAW and int(RID_N2[16]) % 2 == 0                      # 欧阳晓燕, 女
    assert RID_N5[6:14] == digits(BIRTH5_RAW) and int(RID_N5[16]) % 2 == 0              # 陈静, female
    for d in (RID_BAD, RID_BAD_X, RID_BAD_SP.replace(" ", "")):
        assert not ids.rid_ok(d) and len(d) == 18, d
    for d in (CARD_BAD16, CARD_BAD19, digits(CARD_BAD19_SP), digits(CARD_BAD16_DASH)):
        assert not ids.luhn_ok(d), d
    for d in (ORDER_10, ORDER_12, ORDER_12B):
        assert len(d) == 11 and d[0] == "1" and not ids.mobile_ok(d), d
    for n, _ in CONTACTS12 + CONTACTS6 + CONTACTS5 + [(NAME1, 0), (NAME2, 0), (NAME3, 0), (NAME4, 0), (NAME5, 0)]:
        assert 2 <= len(n) <= 4, n
    assert int(MAC_O.split(":")[0], 16) & 1 == 0


# ---------------------------------------------------------------- spec helpers
CAPS = []
SHAPES = {
    1: "Numbers as people and phones write them",
    2: "Containers inside containers",
    3: "Values split across fields",
    4: "Identifiers embedded in other strings",
    5: "PI the detectors do not yet name",
    6: "Precision decoys",
}


def E(type_, value, field, decoding, confirmed, http=None, flow=0, note=None, raw=None, chain=None, shape=None):
    d = {"type": type_, "value": value, "raw": raw, "field": field, "decoding": decoding, "chain_note": chain,
         "confirmed": confirmed, "http": http, "flow": flow, "note": note, "shape": shape}
    return {k: v for k, v in d.items() if v is not None or k in ("field",)}


def U(type_, algorithm, value, of, field, decoding, http=None, flow=0, note=None):
    """An unconfirmed digest: a hash of some identifier that is not the device's (report with context only)."""
    d = {"type": type_, "algorithm": algorithm, "value": value, "of": of, "field": field, "decoding": decoding,
         "http": http, "flow": flow, "note": note}
    return {k: v for k, v in d.items() if v is not None}


def H(method, port, path):
    return {"method": method, "host": "127.0.0.1:%d" % port, "path": path}


def cap(file, port, server, shape, description, expected, decoys, details, reply=None, unconfirmed=(),
        decoy_shape=None):
    for e in expected:
        e.setdefault("shape", shape)
    def deco(fn):
        CAPS.append(dict(file=file, port=port, server=server, shape=shape, description=description,
                         expected=expected, decoys=decoys, details=details, run=fn, reply=reply,
                         unconfirmed=list(unconfirmed)))
        return fn
    return deco


def jdump(o):
    """JSON as Android apps send it (Gson/fastjson): compact, UTF-8, no \\u escapes for CJK."""
    return json.dumps(o, ensure_ascii=False, separators=(",", ":")).encode()


UA_DALVIK = "Dalvik/2.1.0 (Linux; U; Android 13; V2203A Build/TP1A.220624.014)"
UA_OKHTTP = "okhttp/4.9.3"
UA_WEBVIEW = ("Mozilla/5.0 (Linux; Android 13; V2203A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Version/4.0 Chrome/101.0.4951.74 Mobile Safari/537.36")
JSON_CT = "application/json; charset=utf-8"

# ================================================================= shape 1: numbers as written
P = 49401
C01_BODY = {"bindCard": {"bankCard": CARD16_SP_RAW, "bankName": "招商银行", "reservedMobile": PH_SP_RAW,
                         "idNo": RID_SP_RAW},
            "contact": {"tel": PH_DASH_RAW, "backupTel": PH_PAREN_RAW},
            "emergencyPhone": PH_P86_RAW, "ts": 1700000005001, "sdkVer": VER}


@cap("http-spelled-numbers-json.pcap", P, "http", 1,
     "python-requests POST bank-card binding JSON with the card, phones and ID number spelled in groups",
     [E("bank_card", CARD16_SP, "$.bindCard.bankCard", ["json:$.bindCard.bankCard"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=CARD16_SP_RAW),
      E("phone_cn", PH_SP, "$.bindCard.reservedMobile", ["json:$.bindCard.reservedMobile"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=PH_SP_RAW),
      E("resident_id_cn", RID_SP, "$.bindCard.idNo", ["json:$.bindCard.idNo"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=RID_SP_RAW),
      E("phone_cn", PH_DASH, "$.contact.tel", ["json:$.contact.tel"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=PH_DASH_RAW),
      E("phone_cn", PH_PAREN, "$.contact.backupTel", ["json:$.contact.backupTel"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=PH_PAREN_RAW),
      E("phone_cn", PH_P86, "$.emergencyPhone", ["json:$.emergencyPhone"], False,
        H("POST", P, "/api/pay/v3/bindcard"), raw=PH_P86_RAW)],
     ["1700000005001", VER],
     "JSON (UTF-8) `%s`. Every number is written the way a person types it into a form: card in groups of four "
     "with spaces, reserved mobile 3-4-4 with spaces, ID number `region birthdate sequence` with spaces, "
     "dashes, parentheses around the segment, `+86 ` prefix." % jdump(C01_BODY).decode())
def c01(port):
    requests.post("http://127.0.0.1:%d/api/pay/v3/bindcard" % port, data=jdump(C01_BODY), timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP})


P = 49402
C02_FORM = urllib.parse.urlencode([("shouji", PH_0086_RAW), ("dianhua", PH_86_RAW), ("benji", PH_DEV_RAW),
                                   ("yhk", CARD19_PLUS_RAW), ("sfz", RID_DASH_RAW), ("kefu", HOTLINE),
                                   ("zuoji", LANDLINE), ("ts", "1700000005002")])


@cap("http-spelled-numbers-form.pcap", P, "http", 1,
     "curl POST urlencoded form (+ for space, %2B for plus) with prefixed phones, a grouped 19-digit card and a dashed ID",
     [E("phone_cn", PH_0086, "shouji", ["form"], False, H("POST", P, "/api/kyc/v2/submit"), raw=PH_0086_RAW),
      E("phone_cn", PH_86, "dianhua", ["form"], False, H("POST", P, "/api/kyc/v2/submit"), raw=PH_86_RAW),
      E("phone_cn", PHONE, "benji", ["form"], True, H("POST", P, "/api/kyc/v2/submit"), raw=PH_DEV_RAW,
        note="the device's own number (benji = this phone)"),
      E("bank_card", CARD19_PLUS, "yhk", ["form"], False, H("POST", P, "/api/kyc/v2/submit"), raw=CARD19_PLUS_RAW),
      E("resident_id_cn", RID_DASH, "sfz", ["form"], False, H("POST", P, "/api/kyc/v2/submit"), raw=RID_DASH_RAW)],
     [HOTLINE, LANDLINE, "1700000005002"],
     "Body (`application/x-www-form-urlencoded`, Python urlencode, so spaces are `+` and the plus of `+86` is "
     "`%%2B`): `%s`. `kefu` (a 400 service number) and `zuoji` (a Shenzhen landline) are phone-looking but not "
     "mobile numbers." % C02_FORM)
def c02(port):
    curl("-A", UA_DALVIK, "--data-raw", C02_FORM, "http://127.0.0.1:%d/api/kyc/v2/submit" % port)


P = 49403
C03_QUERY = ("receiverPhone=%s&senderPhone=%s&backupPhone=%s&card=%s&idcard=%s&t=1700000005003" % (
    PH_DOT_RAW, urllib.parse.quote(PH_PP86_RAW, safe=""), urllib.parse.quote(PH_Q_RAW, safe=""),
    CARD16_DASH_RAW, RID_Q_RAW))


@cap("http-spelled-numbers-query.pcap", P, "http", 1,
     "curl GET express-tracking query string with dotted/parenthesised/%20-spaced phones, a dashed card and ID",
     [E("phone_cn", PH_DOT, "receiverPhone", ["query"], False, H("GET", P, "/api/v1/express/query"), raw=PH_DOT_RAW),
      E("phone_cn", PH_PP86, "senderPhone", ["query", "url"], False, H("GET", P, "/api/v1/express/query"),
        raw=PH_PP86_RAW),
      E("phone_cn", PH_Q, "backupPhone", ["query", "url"], False, H("GET", P, "/api/v1/express/query"), raw=PH_Q_RAW),
      E("bank_card", CARD16_DASH, "card", ["query"], False, H("GET", P, "/api/v1/express/query"), raw=CARD16_DASH_RAW),
      E("resident_id_cn", RID_Q, "idcard", ["query"], False, H("GET", P, "/api/v1/express/query"), raw=RID_Q_RAW)],
     ["1700000005003"],
     "`GET /api/v1/express/query?%s` (percent-encoding with `%%20` for spaces, not `+`)." % C03_QUERY)
def c03(port):
    curl("-A", UA_DALVIK, "http://127.0.0.1:%d/api/v1/express/query?%s" % (port, C03_QUERY))


P = 49404
C04_TEXT = ("问题描述：绑卡失败，提示预留手机号不一致\n联系电话：%s\n银行卡号：%s\n身份证：%s\n"
            "客服热线 %s 回电请打座机 %s\napp_ver=%s\n" % (PH_TXT_RAW, CARD19_TXT_RAW, RID_TXT_RAW, HOTLINE,
                                                      LANDLINE, VER))


@cap("http-text-plain-feedback.pcap", P, "http", 1,
     "http.client POST text/plain feedback message with a spaced phone, card and ID number in free text",
     [E("phone_cn", PH_TXT, None, ["text"], False, H("POST", P, "/feedback/v1/submit"), raw=PH_TXT_RAW),
      E("bank_card", CARD19_TXT, None, ["text"], False, H("POST", P, "/feedback/v1/submit"), raw=CARD19_TXT_RAW),
      E("resident_id_cn", RID_TXT, None, ["text"], False, H("POST", P, "/feedback/v1/submit"), raw=RID_TXT_RAW)],
     [HOTLINE, LANDLINE, VER],
     "`Content-Type: text/plain; charset=utf-8`, body (UTF-8): `%s`. No keys: free text (field null)."
     % C04_TEXT.replace("\n", "\\n"))
def c04(port):
    http_exchange(port, ("POST", "/feedback/v1/submit", dict(
        body=C04_TEXT.encode(), headers={"Content-Type": "text/plain; charset=utf-8", "User-Agent": UA_DALVIK})))


P = 49405
C05_LINES = [b"HELLO csim/2.3.1 uid=100086\r\n",
             ("MSG 100086 请回电 %s 谢谢\r\n" % PH_TCP_RAW).encode(),
             ("MSG 100086 退款到这张卡 %s\r\n" % CARD16_TCP_RAW).encode(),
             ("MSG 100086 热线 %s\r\n" % HOTLINE).encode(),
             b"BYE\r\n"]


@cap("socket-spelled-text.pcap", P, "raw-text", 1,
     "raw TCP customer-service chat line protocol with a (+86)-prefixed phone and a dashed card in message text",
     [E("phone_cn", PH_TCP, None, ["tcp", "text"], False, raw=PH_TCP_RAW),
      E("bank_card", CARD16_TCP, None, ["tcp", "text"], False, raw=CARD16_TCP_RAW)],
     [HOTLINE],
     "UTF-8 lines, one send each, server answers `+OK`: "
     + ", ".join("`%s`" % l.decode().strip() for l in C05_LINES) + ".")
def c05(port):
    tcp_exchange(port, C05_LINES)


P = 49406
C06_DGRAMS = [jdump({"evt": "call_log", "number": PH_UDP_RAW, "dur": 35, "ts": 1700000005006}),
              ("evt=sms&from=%s&len=42&ts=1700000005106" % PH_UDP2_RAW).encode()]


@cap("udp-spelled-numbers.pcap", P, "udp", 1,
     "two UDP telemetry datagrams: JSON call-log entry with '+86 166-…' and key=value SMS entry with '(131) …'",
     [E("phone_cn", PH_UDP, "$.number", ["udp", "json:$.number"], False, raw=PH_UDP_RAW),
      E("phone_cn", PH_UDP2, "from", ["udp", "form"], False, raw=PH_UDP2_RAW)],
     ["1700000005006", "1700000005106"],
     "Datagram 1 `%s`; datagram 2 `%s` (raw spaces, not form-encoded). One UDP flow."
     % (C06_DGRAMS[0].decode(), C06_DGRAMS[1].decode()))
def c06(port):
    udp_exchange(port, C06_DGRAMS)


# ================================================================= shape 2: containers inside containers
P = 49407
MP_B7 = "----BuglyFormBoundary7MA4YWxkTrZu0gW"
C07_APPLOG_GZ = ("11-23 09:45:12.345  4821  4821 I DeviceInfo: imei=%s imsi=%s\n"
                 "11-23 09:45:12.402  4821  4890 D PushService: register ok seq=17\n"
                 "11-23 09:45:13.020  4821  4821 W NetMonitor: rtt=182ms host=api.example.cn\n" % (IMEI, IMSI))
C07_CRASH = ("*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***\n"
             "Build fingerprint: 'vivo/PD2203/PD2203:13/TP1A.220624.014/compiler11231200:user/release-keys'\n"
             "android_id=%s serial=%s app_ver=%s\n"
             "java.lang.NullPointerException: Attempt to invoke virtual method on a null object reference\n"
             "    at com.example.news.feed.FeedFragment.onResume(FeedFragment.java:218)\n"
             "    at androidx.fragment.app.Fragment.performResume(Fragment.java:3039)\n" % (AID, SERIAL, VER))
C07_APPLOG_PLAIN = "11-23 09:44:58.101  4821  4821 I LoginActivity: login ok uid=100086 mobile=%s\n" % PH_LOG
C07_TRACE = "11-23 09:45:10.000 net=wifi ssid=%s bssid=%s rssi=-51\n" % (SSID, BSSID)


def mp_part(b, name, data, filename=None, ctype=None):
    head = "--%s\r\nContent-Disposition: form-data; name=\"%s\"" % (b, name)
    if filename:
        head += "; filename=\"%s\"" % filename
    head += "\r\n"
    if ctype:
        head += "Content-Type: %s\r\n" % ctype
    return head.encode() + b"\r\n" + data + b"\r\n"


@cap("http-multipart-crashlog.pcap", P, "http", 2,
     "python-requests multipart crash-report upload: app.log.gz (gzip), crash.txt.gz (gzip, octet-stream), "
     "app.log (plain) and trace.dat (zlib)",
     [E("imei", IMEI, "imei", ["multipart:log", "gzip", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `log` (app.log.gz, application/gzip) -> gunzip -> log text line `imei=…`"),
      E("imsi", IMSI, "imsi", ["multipart:log", "gzip", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `log` (app.log.gz, application/gzip) -> gunzip -> log text line `imsi=…`"),
      E("android_id", AID, "android_id", ["multipart:crash", "gzip", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `crash` (crash.txt.gz, application/octet-stream) -> gunzip -> crash dump text"),
      E("serial", SERIAL, "serial", ["multipart:crash", "gzip", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `crash` (crash.txt.gz, application/octet-stream) -> gunzip -> crash dump text"),
      E("phone_cn", PH_LOG, "mobile", ["multipart:applog", "text"], False, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `applog` (app.log, text/plain, not compressed) -> log text `mobile=…`"),
      E("ssid", SSID, "ssid", ["multipart:trace", "deflate", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `trace` (trace.dat, application/octet-stream) -> zlib (RFC 1950) inflate -> text"),
      E("bssid", BSSID, "bssid", ["multipart:trace", "deflate", "text"], True, H("POST", P, "/rqd/v2/upload"),
        chain="multipart part `trace` (trace.dat, application/octet-stream) -> zlib (RFC 1950) inflate -> text")],
     [VER, "4.1.9.3"],
     "multipart/form-data, boundary `%s`, parts: `appKey`, `sdkVersion`=4.1.9.3, `log` (filename app.log.gz, "
     "application/gzip: gzip mtime 0 of an Android logcat excerpt with `imei=… imsi=…`), `crash` (crash.txt.gz, "
     "application/octet-stream: gzip of a Java crash dump with `android_id=… serial=… app_ver=9.1.0.12`), "
     "`applog` (app.log, text/plain, uncompressed: `login ok uid=100086 mobile=15611223344`), `trace` "
     "(trace.dat, application/octet-stream: zlib.compress of `net=wifi ssid=TP-LINK_8A2C bssid=…`). The values "
     "are only visible after decompressing the part." % MP_B7)
def c07(port):
    body = (mp_part(MP_B7, "appKey", b"900012345") + mp_part(MP_B7, "sdkVersion", b"4.1.9.3")
            + mp_part(MP_B7, "log", gzip.compress(C07_APPLOG_GZ.encode(), mtime=0), "app.log.gz", "application/gzip")
            + mp_part(MP_B7, "crash", gzip.compress(C07_CRASH.encode(), mtime=0), "crash.txt.gz",
                      "application/octet-stream")
            + mp_part(MP_B7, "applog", C07_APPLOG_PLAIN.encode(), "app.log", "text/plain")
            + mp_part(MP_B7, "trace", zlib.compress(C07_TRACE.encode()), "trace.dat", "application/octet-stream")
            + ("--%s--\r\n" % MP_B7).encode())
    requests.post("http://127.0.0.1:%d/rqd/v2/upload?appid=900012345&platform=android" % port, data=body,
                  timeout=10, headers={"Content-Type": "multipart/form-data; boundary=" + MP_B7,
                                       "User-Agent": UA_DALVIK})


P = 49408
C08_APPLOG = ("2023-11-23 09:46:01.118 [main] INFO  AdSdk - init ok oaid=%s\n"
              "2023-11-23 09:46:02.530 [net-3] INFO  Account - bind phone=%s result=0\n" % (OAID, PH_ZIP_RAW))
C08_DEVJSON = jdump({"mac": MAC.upper(), "brand": "vivo", "model": "V2203A", "rom": "OriginOS 3"})


def make_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in (("logs/app.log", C08_APPLOG.encode()), ("logs/device.json", C08_DEVJSON)):
            zi = zipfile.ZipInfo(name, date_time=(2023, 11, 23, 9, 46, 10))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


@cap("http-multipart-zip.pcap", P, "http", 2,
     "curl -F multipart feedback upload with logs.zip (application/zip) holding app.log and device.json",
     [E("oaid", OAID, "oaid", ["multipart:file", "zip:logs/app.log", "text"], True, H("POST", P, "/feedback/upload"),
        chain="multipart part `file` (logs.zip, application/zip) -> zip member logs/app.log (deflated) -> log text"),
      E("phone_cn", PH_ZIP, "phone", ["multipart:file", "zip:logs/app.log", "text"], False,
        H("POST", P, "/feedback/upload"), raw=PH_ZIP_RAW,
        chain="multipart part `file` (logs.zip) -> zip member logs/app.log -> log text `phone=+86-185-…`"),
      E("mac", MAC, "$.mac", ["multipart:file", "zip:logs/device.json", "json:$.mac"], True,
        H("POST", P, "/feedback/upload"),
        chain="multipart part `file` (logs.zip) -> zip member logs/device.json (deflated) -> JSON $.mac (uppercase)")],
     [],
     "curl -F (curl's random boundary): `content`=闪退了 (text), `contact`=qq:10086 (not a phone), `file`=logs.zip "
     "(application/zip; two deflated members with a fixed 2023-11-23 timestamp: `logs/app.log` = log lines with "
     "`oaid=…` and `phone=+86-185-1234-5670`, `logs/device.json` = `%s`)." % C08_DEVJSON.decode())
def c08(port):
    tmp = tempfile.mkdtemp(prefix="wc-shapes-")
    try:
        zp = os.path.join(tmp, "logs.zip")
        with open(zp, "wb") as f:
            f.write(make_zip())
        curl("-A", UA_DALVIK, "-F", "content=闪退了", "-F", "contact=qq:10086",
             "-F", "file=@%s;type=application/zip" % zp, "http://127.0.0.1:%d/feedback/upload" % port)
    finally:
        shutil.rmtree(tmp)


P = 49409
C09_F1 = gzip.compress(jdump({"cmd": "login", "dev": {"imei": IMEI_O1, "imsi": IMSI_O1}, "sdk": "6.3.1.8"}), mtime=0)
C09_F2 = zlib.compress(("uid=100086&mobile=%s&iccid=%s&net=4g" % (PH_FRAME, ICCID_O)).encode())
C09_F3 = gzip.compress(("mac=%s\nrssi=-60\n" % MAC_O).encode(), mtime=0)
C09_FRAMES = [b"\xab\xcd" + struct.pack("!H", len(C09_F1) + 1) + b"\x02" + C09_F1,
              b"WCPK" + struct.pack("!I", len(C09_F2)) + C09_F2,
              struct.pack("!HHI8x", 0x5A5A, 0x0103, 3) + C09_F3]


@cap("socket-gzip-frames.pcap", P, "raw-bin", 2,
     "raw TCP IM/push SDK: gzip and zlib payloads after binary frame headers (magic + length, fixed 16-byte header)",
     [E("imei", IMEI_O1, "$.dev.imei", ["tcp", "gzip", "json:$.dev.imei"], False,
        chain="raw TCP frame `AB CD` + u16 length + u8 version 0x02, then a gzip member, then JSON $.dev.imei"),
      E("imsi", IMSI_O1, "$.dev.imsi", ["tcp", "gzip", "json:$.dev.imsi"], False,
        chain="raw TCP frame `AB CD` + u16 length + u8 version, then gzip, then JSON $.dev.imsi"),
      E("phone_cn", PH_FRAME, "mobile", ["tcp", "deflate", "form"], False,
        chain="raw TCP frame magic `WCPK` + u32 length, then a zlib stream (78 9C), then key=value text"),
      E("iccid", ICCID_O, "iccid", ["tcp", "deflate", "form"], False,
        chain="raw TCP frame magic `WCPK` + u32 length, then zlib, then key=value text"),
      E("mac", MAC_O, "mac", ["tcp", "gzip", "text"], False,
        chain="raw TCP fixed 16-byte header (5A 5A, u16 cmd, u32 seq, 8 zero bytes), then gzip, then text `mac=…`")],
     ["6.3.1.8"],
     "Three client frames, one send each (server acks `C0 DE 00 06 81 xx`): (1) `AB CD` u16 len u8 0x02 + "
     "gzip(`{\"cmd\":\"login\",\"dev\":{\"imei\":\"868890041234563\",\"imsi\":\"460021234567891\"},\"sdk\":\"6.3.1.8\"}`); "
     "(2) `WCPK` u32 len + zlib(`uid=100086&mobile=15311112222&iccid=89860012345678901238&net=4g`); (3) 16-byte "
     "header `5A 5A 01 03 00 00 00 03` + 8 zero bytes + gzip(`mac=d0:17:c2:8e:5f:31\\nrssi=-60`). Another "
     "device's identifiers: not confirmed. No value is visible without locating and inflating the member.")
def c09(port):
    tcp_exchange(port, C09_FRAMES)


P = 49410
C10_D1 = zlib.compress(jdump({"deviceSn": SERIAL_O, "imei": IMEI2, "fw": "2.4.0.7"}))
C10_D2 = gzip.compress(("oaid=%s&mac=%s" % (OAID_O2, MAC)).encode(), mtime=0)
C10_DGRAMS = [b"\x7e\x01" + struct.pack("!HI", 1, 1700000010) + C10_D1,
              struct.pack("!I", len(C10_D2)) + C10_D2]


@cap("udp-compressed-frames.pcap", P, "udp", 2,
     "two UDP datagrams: fixed 8-byte header + zlib JSON, and u32 length prefix + gzip key=value",
     [E("serial", SERIAL_O, "$.deviceSn", ["udp", "deflate", "json:$.deviceSn"], False,
        chain="UDP payload: 8-byte header (7E 01, u16 seq, u32 unix time) then zlib stream then JSON $.deviceSn"),
      E("imei", IMEI2, "$.imei", ["udp", "deflate", "json:$.imei"], True, note="device imei2",
        chain="UDP payload: 8-byte header then zlib then JSON $.imei"),
      E("oaid", OAID_O2, "oaid", ["udp", "gzip", "form"], False,
        chain="UDP payload: u32 big-endian length prefix then gzip member then key=value text"),
      E("mac", MAC, "mac", ["udp", "gzip", "form"], True,
        chain="UDP payload: u32 length prefix then gzip then key=value text")],
     ["2.4.0.7"],
     "Datagram 1: `7E 01` + u16 seq 1 + u32 1700000010 + zlib(`%s`) (a paired IoT gadget's serial sent by the phone "
     "together with the phone's IMEI2); datagram 2: u32 length + gzip(`oaid=<another OAID>&mac=<device MAC>`). "
     "The server answers `{\"code\":0}`. One UDP flow."
     % jdump({"deviceSn": SERIAL_O, "imei": IMEI2, "fw": "2.4.0.7"}).decode())
def c10(port):
    udp_exchange(port, C10_DGRAMS)


P = 49411
C11_HEX = ("imei=%s&phone=%s" % (IMEI2, PHONE)).encode().hex().encode()
C11_B64 = base64.b64encode(jdump({"oaid": OAID_O, "androidId": AID_O, "ts": 1700000005011}))
C11_FRAMES = [b"\x01\x10" + struct.pack("!H", len(C11_HEX)) + C11_HEX,
              b"\x01\x11" + struct.pack("!H", len(C11_B64)) + C11_B64]


@cap("socket-encoded-frames.pcap", P, "raw-bin", 2,
     "raw TCP binary frames whose payloads are hex-encoded key=value text and base64-encoded JSON",
     [E("imei", IMEI2, "imei", ["tcp", "hex", "form"], True, note="device imei2",
        chain="raw TCP frame 01 10 + u16 length, payload = lowercase hex ASCII of `imei=…&phone=…`"),
      E("phone_cn", PHONE, "phone", ["tcp", "hex", "form"], True,
        chain="raw TCP frame 01 10 + u16 length, hex ASCII, then key=value"),
      E("oaid", OAID_O, "$.oaid", ["tcp", "base64", "json:$.oaid"], False,
        chain="raw TCP frame 01 11 + u16 length, payload = base64 of JSON"),
      E("android_id", AID_O, "$.androidId", ["tcp", "base64", "json:$.androidId"], False,
        chain="raw TCP frame 01 11 + u16 length, base64, then JSON $.androidId")],
     ["1700000005011"],
     "Frame 1: `01 10` u16 len + hex(`imei=861234567890135&phone=13912348876`) — the hex text is all digits and "
     "a–f, and no number is visible in it; frame 2: `01 11` u16 len + base64(`%s`). Server acks each frame."
     % jdump({"oaid": OAID_O, "androidId": AID_O, "ts": 1700000005011}).decode())
def c11(port):
    tcp_exchange(port, C11_FRAMES)


P = 49412
C12_X1 = ('<?xml version="1.0" encoding="UTF-8"?><request><header><appid>wx_news_android</appid><ver>5.6.0.3</ver>'
          '</header><data><![CDATA[%s]]></data></request>' % jdump({"dev": {"imei": IMEI, "mac": MAC}}).decode())
C12_INNER2 = jdump({"imsi": IMSI_O2, "phone": PH_XML}).decode()
C12_X2 = ('<?xml version="1.0" encoding="UTF-8"?><request><header><appid>wx_news_android</appid><ver>5.6.0.3</ver>'
          '</header><data>%s</data></request>' % C12_INNER2.replace('"', "&quot;"))


@cap("http-xml-json.pcap", P, "http", 2,
     "http.client keep-alive: two XML POSTs whose <data> holds JSON, once as CDATA and once entity-escaped",
     [E("imei", IMEI, "$.dev.imei", ["xml:data", "json:$.dev.imei"], True, H("POST", P, "/gateway/xml/report"),
        chain="XML body, element <data>, CDATA section, JSON inside: $.dev.imei"),
      E("mac", MAC, "$.dev.mac", ["xml:data", "json:$.dev.mac"], True, H("POST", P, "/gateway/xml/report"),
        chain="XML <data> CDATA, JSON $.dev.mac"),
      E("imsi", IMSI_O2, "$.imsi", ["xml:data", "json:$.imsi"], False, H("POST", P, "/gateway/xml/report"),
        note="second request on the connection",
        chain="XML <data> text with &quot; entities; after XML entity decoding it is JSON: $.imsi"),
      E("phone_cn", PH_XML, "$.phone", ["xml:data", "json:$.phone"], False, H("POST", P, "/gateway/xml/report"),
        note="second request on the connection",
        chain="XML <data> entity-escaped JSON: $.phone")],
     ["5.6.0.3"],
     "Request 1 body `%s`; request 2 (same connection) body `%s`. Content-Type text/xml; charset=utf-8."
     % (C12_X1, C12_X2))
def c12(port):
    http_exchange(port, *[("POST", "/gateway/xml/report", dict(
        body=body.encode(), headers={"Content-Type": "text/xml; charset=utf-8", "User-Agent": UA_DALVIK}))
        for body in (C12_X1, C12_X2)])


P = 49413
C13_XML = ("<xml><appid>wx8888888888888888</appid><mch_id>1900000109</mch_id><device_info>WEB</device_info>"
           "<imei>%s</imei><mobile>%s</mobile><id_card>%s</id_card><nonce_str>%s</nonce_str><sign>%s</sign></xml>"
           % (IMEI_O3, PH_WX, RID_X2.lower(), WX_NONCE, WX_SIGN))


@cap("http-json-xml-string.pcap", P, "http", 2,
     "python-requests POST JSON whose reqXml string holds a WeChat-Pay-style XML document",
     [E("imei", IMEI_O3, "imei", ["json:$.reqXml", "xml:imei"], False, H("POST", P, "/pay/v2/unifiedorder"),
        chain="JSON string $.reqXml holds an XML document (escaped only as JSON); element <imei>"),
      E("phone_cn", PH_WX, "mobile", ["json:$.reqXml", "xml:mobile"], False, H("POST", P, "/pay/v2/unifiedorder"),
        chain="JSON $.reqXml -> XML element <mobile>"),
      E("resident_id_cn", RID_X2, "id_card", ["json:$.reqXml", "xml:id_card"], False,
        H("POST", P, "/pay/v2/unifiedorder"), note="sent with a lowercase x",
        chain="JSON $.reqXml -> XML element <id_card> (lowercase x check character)")],
     [WX_SIGN, WX_NONCE, "1900000109", "1700000005013"],
     "JSON `{\"channel\":\"wxpay\",\"reqXml\":\"%s\",\"ts\":1700000005013}` (Python json.dumps, so `<`/`>` "
     "are literal and only quotes would be escaped). The uppercase 32-hex `sign` and the `nonce_str` are WeChat Pay "
     "signature fields, the 10-digit mch_id a merchant number: decoys." % C13_XML)
def c13(port):
    requests.post("http://127.0.0.1:%d/pay/v2/unifiedorder" % port, timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP},
                  data=jdump({"channel": "wxpay", "reqXml": C13_XML, "ts": 1700000005013}))


# ================================================================= shape 3: values split across fields
P = 49414


@cap("http-geo-headers.pcap", P, "http", 3,
     "http.client keep-alive: latitude/longitude in X-Lat/X-Lng headers, then in latitude/longitude query params",
     [E("coordinates", "30.274085,120.155070", "X-Lat,X-Lng", ["header:X-Lat", "header:X-Lng"], False,
        H("GET", P, "/v2/feed/list")),
      E("coordinates", HOME_LAT + "," + HOME_LON, "latitude,longitude", ["query"], True, H("GET", P, "/v1/weather/now"),
        note="second request on the connection")],
     [",".join(COARSE_1), "1700000005014"],
     "Request 1 `GET /v2/feed/list?city_lat=30.27&city_lng=120.16&ts=1700000005014` with headers "
     "`X-Lat: 30.274085`, `X-Lng: 120.155070` (Hangzhou; the trailing zero is part of the value as sent); "
     "request 2 `GET /v1/weather/now?latitude=22.543096&longitude=114.057865` (the device's home). "
     "city_lat/city_lng carry a 2-decimal city centre: a coarse pair that must not fire (decoy `30.27,120.16`, "
     "listed as `lat,lon` like an expected value).")
def c14(port):
    http_exchange(port, ("GET", "/v2/feed/list?city_lat=30.27&city_lng=120.16&ts=1700000005014",
                         dict(headers={"User-Agent": UA_OKHTTP, "X-Lat": "30.274085", "X-Lng": "120.155070"})),
                  ("GET", "/v1/weather/now?latitude=%s&longitude=%s" % (HOME_LAT, HOME_LON),
                   dict(headers={"User-Agent": UA_OKHTTP})))


P = 49415


@cap("http-geo-form-query.pcap", P, "http", 3,
     "three connections: lat/lon query, weidu/jingdu form with price/discount look-alikes, latitude/longitude form",
     [E("coordinates", "23.129163,113.264435", "lat,lon", ["query"], False, H("GET", P, "/v3/poi/nearby"), flow=0),
      E("coordinates", "30.657420,104.065840", "weidu,jingdu", ["form"], False, H("POST", P, "/api/shop/checkin"),
        flow=1, note="key order on the wire is jingdu first"),
      E("coordinates", "39.990464,116.481488", "latitude,longitude", ["form"], False,
        H("POST", P, "/api/v2/location/report"), flow=2)],
     [",".join(PRICE_1), ",".join(COARSE_3), "1700000005015"],
     "Flow 0 curl `GET /v3/poi/nearby?lat=23.129163&lon=113.264435&radius=1000&ts=1700000005015`; flow 1 curl POST "
     "form `jingdu=104.065840&weidu=30.657420&shop_id=88123&price=29.563009&discount=106.551556` (price/discount "
     "look exactly like a Chongqing lat/lng pair but are not location keys: decoy); flow 2 urllib POST form "
     "`latitude=39.990464&longitude=116.481488&city_latitude=39.90&city_longitude=116.41` (coarse city centre "
     "decoy). Coordinates decoys are listed as `lat,lon` strings.")
def c15(port):
    base = "http://127.0.0.1:%d" % port
    curl("-A", UA_DALVIK, base + "/v3/poi/nearby?lat=23.129163&lon=113.264435&radius=1000&ts=1700000005015")
    time.sleep(0.2)
    curl("-A", UA_DALVIK, "--data-raw", "jingdu=104.065840&weidu=30.657420&shop_id=88123&price=%s&discount=%s"
         % PRICE_1, base + "/api/shop/checkin")
    time.sleep(0.2)
    body = urllib.parse.urlencode([("latitude", "39.990464"), ("longitude", "116.481488"),
                                   ("city_latitude", COARSE_3[0]), ("city_longitude", COARSE_3[1])]).encode()
    urllib.request.urlopen(urllib.request.Request(base + "/api/v2/location/report", data=body,
                                                  headers={"User-Agent": UA_DALVIK}), timeout=10).read()


P = 49416
C16_RAW = ('{"rider":{"id":"R100086","geo":{"type":"Point","coordinates":[%s,%s]}},"loc":[22.517583,113.930138],'
           '"location":{"latitude":"31.298886","longitude":"120.585316"},"cityCenter":{"lat":%s,"lng":%s},'
           '"goods":{"sku":"88123","price":"%s","discount":"%s"},"ts":1700000005016}'
           % (HOME_LON, HOME_LAT, COARSE_2[0], COARSE_2[1], PRICE_2[0], PRICE_2[1]))


@cap("http-geo-json.pcap", P, "http", 3,
     "python-requests POST JSON: GeoJSON Point [lng,lat], loc [lat,lng], location{latitude,longitude}, plus decoys",
     [E("coordinates", HOME_LAT + "," + HOME_LON, "$.rider.geo.coordinates", ["json:$.rider.geo.coordinates"], True,
        H("POST", P, "/api/v1/rider/report"), note="GeoJSON order [lng, lat]"),
      E("coordinates", "22.517583,113.930138", "$.loc", ["json:$.loc"], False, H("POST", P, "/api/v1/rider/report"),
        note="array [lat, lng] under loc"),
      E("coordinates", "31.298886,120.585316", "$.location.latitude,$.location.longitude", ["json:$.location"], False,
        H("POST", P, "/api/v1/rider/report"), note="two JSON string members")],
     [",".join(COARSE_2), ",".join(PRICE_2), "1700000005016"],
     "Body (JSON numbers written with their exact decimals) `%s`. cityCenter has 2-decimal (city-level) "
     "lat/lng; goods.price/discount look like a Guangzhou pair: both decoys." % C16_RAW)
def c16(port):
    json.loads(C16_RAW)
    requests.post("http://127.0.0.1:%d/api/v1/rider/report" % port, data=C16_RAW.encode(), timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP})


P = 49417
C17_DGRAMS = [b'{"evt":"loc","gps":[36.067108,120.382609],"acc":12.5,"ts":1700000005017}',
              b'{"evt":"loc","location":[45.756967,126.642464],"acc":30.0,"city":{"lat":45.76,"lng":126.64}}']


@cap("udp-gps-array.pcap", P, "udp", 3,
     "two UDP JSON datagrams with [lat, lng] arrays under gps and location, and a coarse city pair",
     [E("coordinates", "36.067108,120.382609", "$.gps", ["udp", "json:$.gps"], False),
      E("coordinates", "45.756967,126.642464", "$.location", ["udp", "json:$.location"], False)],
     ["45.76,126.64", "1700000005017"],
     "Datagram 1 `%s`; datagram 2 `%s` (city lat/lng with 2 decimals: decoy)."
     % (C17_DGRAMS[0].decode(), C17_DGRAMS[1].decode()))
def c17(port):
    udp_exchange(port, C17_DGRAMS)


# ================================================================= shape 4: identifiers embedded in other strings
P = 49418
C18_UA1 = UA_WEBVIEW + " NewsArticle/9.1.0 DeviceId/" + IMEI
C18_XUA = "WcSdk/3.2.1 (Android 12; PDEM10; IMEI:%s; Build/SKQ1.211113.001)" % IMEI_O4
C18_XCI = "platform=android;ver=%s;imei=%s;did=%s;channel=vivo" % (VER, IMEI_O5, AID_O2)


@cap("http-ua-embedded-ids.pcap", P, "http", 4,
     "http.client keep-alive: IMEI in a WebView User-Agent (DeviceId/…), IMEI:… in X-UA, imei=/;did= in X-Client-Info",
     [E("imei", IMEI, "User-Agent", ["header:User-Agent"], True, H("GET", P, "/api/news/feed/v88/"),
        chain="User-Agent product token `DeviceId/<imei>` after the WebView UA"),
      E("imei", IMEI_O4, "X-UA", ["header:X-UA"], False, H("GET", P, "/v1/sdk/config"),
        chain="X-UA comment `(Android 12; PDEM10; IMEI:<imei>; Build/…)`"),
      E("imei", IMEI_O5, "imei", ["header:X-Client-Info", "kv:imei"], False, H("POST", P, "/log/collect"),
        chain="X-Client-Info `k=v;k=v` list, key imei"),
      E("android_id", AID_O2, "did", ["header:X-Client-Info", "kv:did"], False, H("POST", P, "/log/collect"),
        chain="X-Client-Info `k=v;k=v` list, key did (16-hex Android ID)")],
     [VER],
     "Three requests on one connection: `GET /api/news/feed/v88/?category=__all__` with `User-Agent: %s`; "
     "`GET /v1/sdk/config` with `User-Agent: okhttp/4.9.3` and `X-UA: %s`; `POST /log/collect` (JSON "
     "`{\"ev\":\"launch\"}`) with `X-Client-Info: %s`. The version 9.1.0.12 and the build ids are decoys."
     % (C18_UA1, C18_XUA, C18_XCI))
def c18(port):
    http_exchange(port, ("GET", "/api/news/feed/v88/?category=__all__", dict(headers={"User-Agent": C18_UA1})),
                  ("GET", "/v1/sdk/config", dict(headers={"User-Agent": UA_OKHTTP, "X-UA": C18_XUA})),
                  ("POST", "/log/collect", dict(body=b'{"ev":"launch"}', headers={
                      "User-Agent": UA_OKHTTP, "X-Client-Info": C18_XCI, "Content-Type": JSON_CT})))


P = 49419
C19_XDEV = "imei=%s;oaid=%s;mac=%s" % (IMEI, OAID, MAC)
C19_COOKIE = "lang=zh_CN; device_info=%s; ab=exp_12" % urllib.parse.quote("imsi=%s|iccid=%s" % (IMSI, ICCID), safe="")
C19_AUTH_CRED = "ak=AKLTwc2023demo,imei=%s,ts=1700000005019,sig=%s" % (IMEI_O6, SIGN_SHA256)
C19_AUTH = "WC-HMAC-SHA256 " + C19_AUTH_CRED


@cap("http-header-kv-tokens.pcap", P, "http", 4,
     "python-requests GET with key=value lists in X-Device, in a percent-encoded cookie and in a custom Authorization",
     [E("imei", IMEI, "imei", ["header:X-Device", "kv:imei"], True, H("GET", P, "/ad/v3/fetch"),
        chain="X-Device `imei=…;oaid=…;mac=…`"),
      E("oaid", OAID, "oaid", ["header:X-Device", "kv:oaid"], True, H("GET", P, "/ad/v3/fetch"),
        chain="X-Device `k=v;` list, key oaid"),
      E("mac", MAC, "mac", ["header:X-Device", "kv:mac"], True, H("GET", P, "/ad/v3/fetch"),
        chain="X-Device `k=v;` list, key mac (contains colons)"),
      E("imsi", IMSI, "imsi", ["cookie:device_info", "url", "kv:imsi"], True, H("GET", P, "/ad/v3/fetch"),
        chain="Cookie device_info, percent-decoded to `imsi=…|iccid=…`"),
      E("iccid", ICCID, "iccid", ["cookie:device_info", "url", "kv:iccid"], True, H("GET", P, "/ad/v3/fetch"),
        chain="Cookie device_info, percent-decoded `|`-separated list, key iccid"),
      E("imei", IMEI_O6, "imei", ["header:Authorization", "kv:imei"], False, H("GET", P, "/ad/v3/fetch"),
        chain="Authorization `WC-HMAC-SHA256 ak=…,imei=…,ts=…,sig=…` (comma-separated credential list)"),
      E("auth_token", C19_AUTH_CRED, "Authorization", ["header:Authorization"], False, H("GET", P, "/ad/v3/fetch"),
        note="custom scheme: the value is the credential list after the scheme name")],
     ["1700000005019"],
     "Headers `X-Device: %s`, `Cookie: %s`, `Authorization: %s`. The device identifiers are in the first two; "
     "the Authorization credential carries another device's IMEI (a shared test account) and is itself a "
     "credential (auth_token)." % (C19_XDEV, C19_COOKIE, C19_AUTH))
def c19(port):
    requests.get("http://127.0.0.1:%d/ad/v3/fetch?slot=feed_1" % port, timeout=10,
                  headers={"User-Agent": UA_OKHTTP, "X-Device": C19_XDEV, "Cookie": C19_COOKIE,
                           "Authorization": C19_AUTH})


P = 49420
C20_XINFO = base64.b64encode(("imei=%s&oaid=%s" % (IMEI_O7, OAID_O2)).encode()).decode()
C20_EXTRA = base64.b64encode(("android_id=%s&serial=%s&mobile=%s&src=launch" % (AID, SERIAL_O2, PH_B64)).encode()
                             ).decode()
C20_FORM = urllib.parse.urlencode([("ev", "launch"), ("extra", C20_EXTRA), ("ts", "1700000005020")])


@cap("http-base64-kv.pcap", P, "http", 4,
     "curl POST form with a base64 key=value list in a field and another in an X-Info header",
     [E("imei", IMEI_O7, "imei", ["header:X-Info", "base64", "form"], False, H("POST", P, "/api/track/v1"),
        chain="X-Info header value is base64 of `imei=…&oaid=…`"),
      E("oaid", OAID_O2, "oaid", ["header:X-Info", "base64", "form"], False, H("POST", P, "/api/track/v1"),
        chain="X-Info base64 -> key=value, key oaid"),
      E("android_id", AID, "android_id", ["form", "base64", "form"], True, H("POST", P, "/api/track/v1"),
        chain="form field extra (percent-encoded base64) -> base64 -> key=value `android_id=…`"),
      E("serial", SERIAL_O2, "serial", ["form", "base64", "form"], False, H("POST", P, "/api/track/v1"),
        chain="form field extra -> base64 -> key=value `serial=…`"),
      E("phone_cn", PH_B64, "mobile", ["form", "base64", "form"], False, H("POST", P, "/api/track/v1"),
        chain="form field extra -> base64 -> key=value `mobile=…`")],
     ["1700000005020"],
     "Header `X-Info: %s` (= base64 of `imei=869123045678901&oaid=5d8c1e7a-…`); form `%s` where extra = base64 "
     "of `android_id=<device>&serial=LMX4C21A09003388&mobile=18066668888&src=launch`." % (C20_XINFO, C20_FORM))
def c20(port):
    curl("-A", UA_DALVIK, "-H", "X-Info: " + C20_XINFO, "--data-raw", C20_FORM,
         "http://127.0.0.1:%d/api/track/v1" % port)


# ================================================================= shape 5: PI the detectors do not yet name
P = 49421
C21_BODY = {"userName": USERNAME1, "realName": NAME1, "idCard": RID_N1, "gender": "男", "birthday": BIRTH1,
            "mobile": PH_N1, "address": ADDR1, "nickName": "伟哥不胖", "appVer": VER}


@cap("http-realname-json.pcap", P, "http", 5,
     "python-requests POST real-name verification JSON: realName next to idCard, gender, birthday, address",
     [E("person_name", NAME1, "$.realName", ["json:$.realName"], False, H("POST", P, "/api/v1/user/realname/verify")),
      E("resident_id_cn", RID_N1, "$.idCard", ["json:$.idCard"], False, H("POST", P, "/api/v1/user/realname/verify")),
      E("gender", "男", "$.gender", ["json:$.gender"], False, H("POST", P, "/api/v1/user/realname/verify")),
      E("birth_date", BIRTH1, "$.birthday", ["json:$.birthday"], False, H("POST", P, "/api/v1/user/realname/verify"),
        raw=BIRTH1),
      E("phone_cn", PH_N1, "$.mobile", ["json:$.mobile"], False, H("POST", P, "/api/v1/user/realname/verify")),
      E("address", ADDR1, "$.address", ["json:$.address"], False, H("POST", P, "/api/v1/user/realname/verify"))],
     [USERNAME1, "伟哥不胖", VER],
     "UTF-8 JSON `%s`. userName is an account name and nickName a nickname, not person names (decoys)."
     % jdump(C21_BODY).decode())
def c21(port):
    requests.post("http://127.0.0.1:%d/api/v1/user/realname/verify" % port, data=jdump(C21_BODY), timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP})


P = 49422
C22_FORM = urllib.parse.urlencode([("yonghuming", USERNAME2), ("xingming", NAME2), ("xingbie", "女"),
                                   ("shengri", BIRTH2_RAW), ("shenfenzheng", RID_N2), ("dizhi", ADDR2),
                                   ("ts", "1700000005022")])


@cap("http-profile-form-pinyin.pcap", P, "http", 5,
     "curl POST urlencoded UTF-8 form with pinyin keys: xingming, xingbie, shengri (YYYYMMDD), shenfenzheng, dizhi",
     [E("person_name", NAME2, "xingming", ["form", "url"], False, H("POST", P, "/api/member/profile/save"),
        note="4-character name with a compound surname"),
      E("gender", "女", "xingbie", ["form", "url"], False, H("POST", P, "/api/member/profile/save")),
      E("birth_date", "1995-12-25", "shengri", ["form"], False, H("POST", P, "/api/member/profile/save"),
        raw=BIRTH2_RAW),
      E("resident_id_cn", RID_N2, "shenfenzheng", ["form"], False, H("POST", P, "/api/member/profile/save")),
      E("address", ADDR2, "dizhi", ["form", "url"], False, H("POST", P, "/api/member/profile/save"))],
     [USERNAME2, "1700000005022"],
     "Body `%s` (UTF-8 percent-encoded). yonghuming (user name) is an account: decoy." % C22_FORM)
def c22(port):
    curl("-A", UA_DALVIK, "--data-raw", C22_FORM, "http://127.0.0.1:%d/api/member/profile/save" % port)


P = 49423
C23_BODY = {"order_no": ORDER_10, "trade_no": ORDER_12, "收货人": {"姓名": NAME3, "手机": PH_N3},
            "收货地址": ADDR3, "invoice": {"title": "个人", "real_name": NAME4, "addr": ADDR4},
            "buyer": {"userName": USERNAME3, "sex": 1, "birth": BIRTH4_RAW}, "ts": 1700000005023}


@cap("http-order-address.pcap", P, "http", 5,
     "python-requests POST e-commerce order JSON (\\u-escaped) with Chinese keys 姓名/收货地址 and invoice real_name/addr",
     [E("person_name", NAME3, "$.收货人.姓名", ["json:$.收货人.姓名"], False, H("POST", P, "/trade/order/create")),
      E("phone_cn", PH_N3, "$.收货人.手机", ["json:$.收货人.手机"], False, H("POST", P, "/trade/order/create")),
      E("address", ADDR3, "$.收货地址", ["json:$.收货地址"], False, H("POST", P, "/trade/order/create")),
      E("person_name", NAME4, "$.invoice.real_name", ["json:$.invoice.real_name"], False,
        H("POST", P, "/trade/order/create")),
      E("address", ADDR4, "$.invoice.addr", ["json:$.invoice.addr"], False, H("POST", P, "/trade/order/create")),
      E("gender", "1", "$.buyer.sex", ["json:$.buyer.sex"], False, H("POST", P, "/trade/order/create"),
        note="numeric code as in WeChat user info: 1 = male, 2 = female; value as sent"),
      E("birth_date", "1988-11-22", "$.buyer.birth", ["json:$.buyer.birth"], False, H("POST", P, "/trade/order/create"),
        raw=BIRTH4_RAW)],
     [ORDER_10, ORDER_12, USERNAME3, "1700000005023"],
     "requests `json=` (so every CJK character, keys included, is a `\\uXXXX` escape on the wire) of `%s`. "
     "order_no/trade_no are 11-digit numbers starting with 1 but with no mobile segment (10…, 12…): decoys."
     % jdump(C23_BODY).decode())
def c23(port):
    requests.post("http://127.0.0.1:%d/trade/order/create" % port, json=C23_BODY, timeout=10,
                  headers={"User-Agent": UA_OKHTTP})


P = 49424


@cap("http-multipart-profile.pcap", P, "http", 5,
     "curl -F multipart KYC form: name next to id_no, gender=female, birthday 1992.05.18, address",
     [E("person_name", NAME5, "name", ["multipart:name"], False, H("POST", P, "/api/kyc/v1/upload"),
        note="`name` next to an ID number"),
      E("resident_id_cn", RID_N5, "id_no", ["multipart:id_no"], False, H("POST", P, "/api/kyc/v1/upload")),
      E("gender", "female", "gender", ["multipart:gender"], False, H("POST", P, "/api/kyc/v1/upload")),
      E("birth_date", "1992-05-18", "birthday", ["multipart:birthday"], False, H("POST", P, "/api/kyc/v1/upload"),
        raw=BIRTH5_RAW),
      E("address", ADDR5, "address", ["multipart:address"], False, H("POST", P, "/api/kyc/v1/upload"))],
     ["1700000005024"],
     "curl -F parts (curl's random boundary): name=陈静, id_no=310115199205180644, gender=female, "
     "birthday=1992.05.18, address=浙江省杭州市西湖区文三路90号, ts=1700000005024.")
def c24(port):
    curl("-A", UA_DALVIK, "-F", "name=" + NAME5, "-F", "id_no=" + RID_N5, "-F", "gender=female",
         "-F", "birthday=" + BIRTH5_RAW, "-F", "address=" + ADDR5, "-F", "ts=1700000005024",
         "http://127.0.0.1:%d/api/kyc/v1/upload" % port)


def contact_items(entries, path_fmt, nkey, pkey, decoding_fmt, http):
    out = []
    for i, (n, p) in enumerate(entries):
        pv = phone_norm(p)
        out.append(E("person_name", n, path_fmt % (i, nkey), [d % (i, nkey) if "%" in d else d for d in decoding_fmt], False, http,
                     note="inside contact list"))
        out.append(E("phone_cn", pv, path_fmt % (i, pkey), [d % (i, pkey) if "%" in d else d for d in decoding_fmt], pv == PHONE, http,
                     raw=None if p == pv else p,
                     note="inside contact list" + ("; the device's own number" if pv == PHONE else "")))
    return out


P = 49425
C25_BODY = {"uid": "100086", "total": 12, "contacts": [{"name": n, "phone": p} for n, p in CONTACTS12],
            "ts": 1700000005025}


@cap("http-contacts-upload.pcap", P, "http", 5,
     "python-requests POST address-book sync: JSON array of 12 {name, phone} entries, phones in mixed spellings",
     [E("contact_list", "12", "$.contacts", ["json:$.contacts"], False, H("POST", P, "/api/contact/v2/upload"))]
     + contact_items(CONTACTS12, "$.contacts[%d].%s", "name", "phone", ["json:$.contacts[%d].%s"],
                     H("POST", P, "/api/contact/v2/upload")),
     ["1700000005025"],
     "UTF-8 JSON `%s`. One contact_list item (value = number of entries) plus each entry's name and phone "
     "(entry 4 is the device's own number)." % jdump(C25_BODY).decode())
def c25(port):
    requests.post("http://127.0.0.1:%d/api/contact/v2/upload" % port, data=jdump(C25_BODY), timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP})


P = 49426
C26_BODY = [{"xingming": n, "shouji": p} for n, p in CONTACTS6]


@cap("http-contacts-gzip.pcap", P, "http", 5,
     "python-requests POST gzip-encoded top-level JSON array of 6 {xingming, shouji} contacts",
     [E("contact_list", "6", "$", ["gzip", "json:$"], False, H("POST", P, "/sync/addressbook/backup"))]
     + contact_items(CONTACTS6, "$[%d].%s", "xingming", "shouji", ["gzip", "json:$[%d].%s"],
                     H("POST", P, "/sync/addressbook/backup")),
     [],
     "`Content-Encoding: gzip` (mtime 0) of the UTF-8 JSON `%s`." % jdump(C26_BODY).decode())
def c26(port):
    requests.post("http://127.0.0.1:%d/sync/addressbook/backup" % port, timeout=10,
                  data=gzip.compress(jdump(C26_BODY), mtime=0),
                  headers={"Content-Type": JSON_CT, "Content-Encoding": "gzip", "User-Agent": UA_DALVIK})


P = 49427
C27_JSON = jdump([{"name": n, "tel": p} for n, p in CONTACTS5]).decode()
C27_FORM = urllib.parse.urlencode([("uid", "100086"), ("txl", C27_JSON), ("ts", "1700000005027")])


@cap("http-contacts-form.pcap", P, "http", 5,
     "curl POST form whose txl (tongxunlu) field is a percent-encoded JSON array of 5 {name, tel} contacts",
     [E("contact_list", "5", "txl", ["form", "json:$"], False, H("POST", P, "/api/v1/txl/report"))]
     + contact_items(CONTACTS5, "$[%d].%s", "name", "tel", ["form", "json:$[%d].%s"],
                     H("POST", P, "/api/v1/txl/report")),
     ["1700000005027"],
     "Form `uid=100086&txl=<urlencode of %s>&ts=1700000005027` (spaces as `+`, `+86` as `%%2B86`)." % C27_JSON)
def c27(port):
    curl("-A", UA_DALVIK, "--data-raw", C27_FORM, "http://127.0.0.1:%d/api/v1/txl/report" % port)


P = 49428
C28_B1 = jdump({"apps": APPS15, "ts": 1700000005028})
C28_B2 = jdump({"installed": [{"pkg": p, "ver": v} for p, v in APPS10], "os": "android 12"})
C28_B3 = jdump({"appList": [{"packageName": p, "versionName": v, "firstInstallTime": 1690000000123 + i * 86400000}
                            for i, (p, v) in enumerate(APPS8)]})


@cap("http-applist.pcap", P, "http", 5,
     "three python-requests connections with installed-app lists: plain array, [{pkg,ver}], deflate [{packageName,…}]",
     [E("app_list", "15 packages", "$.apps", ["json:$.apps"], False, H("POST", P, "/api/ad/v2/env"), flow=0),
      E("app_list", "10 packages", "$.installed", ["json:$.installed"], False, H("POST", P, "/api/ad/v2/env"), flow=1),
      E("app_list", "8 packages", "$.appList", ["deflate", "json:$.appList"], False, H("POST", P, "/risk/v1/collect"),
        flow=2)],
     ["8.0.40", "1690000000123", "1700000005028"],
     "Flow 0 JSON `%s`; flow 1 JSON `%s`; flow 2 `Content-Encoding: deflate` (zlib) of `%s` (firstInstallTime: "
     "13-digit ms timestamps). app_list value as in captures/pii: `N packages`." %
     (C28_B1.decode(), C28_B2.decode(), C28_B3.decode()))
def c28(port):
    base = "http://127.0.0.1:%d" % port
    hd = {"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP}
    requests.post(base + "/api/ad/v2/env", data=C28_B1, headers=hd, timeout=10)
    time.sleep(0.2)
    requests.post(base + "/api/ad/v2/env", data=C28_B2, headers=hd, timeout=10)
    time.sleep(0.2)
    requests.post(base + "/risk/v1/collect", data=zlib.compress(C28_B3), timeout=10,
                  headers=dict(hd, **{"Content-Encoding": "deflate"}))


# ================================================================= shape 6: precision decoys
P = 49429
C29_BODY = {"id_card": RID_BAD_X, "token": RID_BAD, "card": CARD_BAD16, "cardNo": CARD_BAD19,
            "bankCard": CARD_BAD19_SP, "order_no": ORDER_10, "trade_no": ORDER_12, "ts": 1700000005029,
            "server_time": "1700000005999", "app_ver": VER, "sha1": SHA1_APK, "commit": SHA1_COMMIT,
            "sign": SIGN_MD5, "signature": SIGN_SHA1, "checksum": SIGN_SHA256,
            "imei_md5": h("md5", IMEI_O8), "imei_sha1": h("sha1", IMEI_O9, "HEX")}
C29_FORM = urllib.parse.urlencode([("id_card", RID_BAD_SP), ("card", CARD_BAD16_DASH), ("order_no", ORDER_12B),
                                   ("kefu", HOTLINE), ("ts", "1700000005129")])


@cap("http-lookalikes.pcap", P, "http", 6,
     "PI look-alikes in JSON and a form (bad check characters, Luhn failures, order numbers, hex digests), "
     "digests of another IMEI, and one real device-IMEI digest for contrast",
     [E("imei", IMEI, "imei_md5", ["query", "md5"], True, H("GET", P, "/v1/device/check"), flow=1,
        note="MD5 of the device's own IMEI: confirmed, unlike the imei_md5 of flow 0")],
     [RID_BAD, RID_BAD_X, CARD_BAD16, CARD_BAD19, CARD_BAD19_SP, ORDER_10, ORDER_12, "1700000005029", "1700000005999",
      VER, SHA1_APK, SHA1_COMMIT, SIGN_MD5, SIGN_SHA1, SIGN_SHA256, RID_BAD_SP, CARD_BAD16_DASH, ORDER_12B,
      HOTLINE, "1700000005129", "1700000009876"],
     "Flow 0: requests POST /api/pay/notify JSON `%s` — an `id_card` ending in X and an all-digit "
     "`token` (no letters, so no auth token either), both ID-shaped with wrong MOD 11-2 check characters, 16- and 19-digit card numbers (one spelled in "
     "groups) failing Luhn, 11-digit order/trade numbers 10…/12…, millisecond timestamps, a version, bare 40-hex "
     "`sha1`/`commit`, MD5/SHA-1/SHA-256 `sign`/`signature`/`checksum`, and `imei_md5`/`imei_sha1` = digests of "
     "two IMEIs that are not the device's (listed under unconfirmed_digests). Flow 1: curl `GET /v1/device/check?"
     "imei_md5=<MD5 of the device IMEI>&sign=<md5>` (expected, confirmed). Flow 2: curl POST form `%s` (a spaced "
     "wrong-check ID number, a dashed Luhn-failing card, order_no 12345678901, a 400 number). The server answers "
     "`{\"code\":0,\"server_time\":1700000009876}`." % (jdump(C29_BODY).decode(), C29_FORM),
     reply=b'{"code":0,"server_time":1700000009876}',
     unconfirmed=[U("imei", "md5", h("md5", IMEI_O8), IMEI_O8, "$.imei_md5", ["json:$.imei_md5", "md5"],
                    H("POST", P, "/api/pay/notify"), flow=0, note="MD5 of another IMEI: report only as an "
                    "unconfirmed digest with its context (key imei_md5)"),
                  U("imei", "sha1", h("sha1", IMEI_O9, "HEX"), IMEI_O9, "$.imei_sha1", ["json:$.imei_sha1", "sha1"],
                    H("POST", P, "/api/pay/notify"), flow=0, note="SHA-1 (uppercase hex) of another IMEI")])
def c29(port):
    base = "http://127.0.0.1:%d" % port
    requests.post(base + "/api/pay/notify", data=jdump(C29_BODY), timeout=10,
                  headers={"Content-Type": JSON_CT, "User-Agent": UA_OKHTTP})
    time.sleep(0.2)
    curl("-A", UA_DALVIK, base + "/v1/device/check?imei_md5=%s&sign=%s" % (h("md5", IMEI), SIGN_MD5))
    time.sleep(0.2)
    curl("-A", UA_DALVIK, "--data-raw", C29_FORM, base + "/api/order/v1/query")


# ================================================================= driver
MANIFEST_HEAD = (
    "# Labelled PI shapes corpus for wirecheck (the PI shapes issue). Generated by make.sh (tools/corpus.py).\n"
    "# Same schema as captures/pii/manifest.yaml. expected: one item per (type, normalised value, flow);\n"
    "#   flow = 0-based index of the TCP connection / UDP 5-tuple in the capture in order of first packet\n"
    "#   (= tshark tcp.stream or udp.stream, each capture uses one port). confirmed = matches device.yaml.\n"
    "#   raw: the value as spelled after the decoding chain (only where it differs from value);\n"
    "#   chain_note: the decoding chain in words (containers inside containers).\n"
    "# decoys: raw strings present in the capture that must not be reported as PI (a coordinates decoy\n"
    "#   is written \"lat,lon\", its two numbers are in two fields).\n"
    "# unconfirmed_digests: digests of identifiers that are not the device's; report at most as an\n"
    "#   unconfirmed digest with its context, never as a PI item of the identifier's type.\n")


README_HEAD = open(os.path.join(HERE, "README-head.md")).read()

SHAPE_WHAT = {
    1: "every spelled number as its normalised digits (mobile: 11 digits without +86/86/0086 and without "
       "separators; card: 16/19 digits; resident ID: 17 digits + check character, uppercase X), also in free text "
       "and raw sockets; not the 400 hotline or the landline next to them.",
    2: "the values inside gzip/zlib/zip members of multipart parts, gzip/zlib members that start after a binary "
       "frame header on raw TCP/UDP, hex/base64 text inside binary frames, JSON inside XML (CDATA and entity-"
       "escaped) and XML inside a JSON string.",
    3: "one `coordinates` item `lat,lon` (digits as sent, latitude first whatever the wire order) per pair split "
       "over two headers, two query/form keys, two JSON members, a GeoJSON `[lng, lat]` array or a `[lat, lng]` "
       "array under gps/loc/location; nothing for 2-decimal city centres or price/discount pairs.",
    4: "the identifier inside a User-Agent product token or comment, inside `k=v;k=v` lists in X- headers, "
       "cookies and a custom Authorization credential, and inside base64 `k=v&k=v` text in a header or form field.",
    5: "person_name (name-keyed fields and `name` next to an ID number; not userName/nickName), address, "
       "birth_date (normalised YYYY-MM-DD, `raw` as sent), gender (value as sent), contact_list (value = number "
       "of entries) with each entry's name and phone, app_list (`N packages`, matched by type and flow).",
    6: "nothing: every string under decoys must produce no PI item; unconfirmed_digests are reported at most "
       "as unconfirmed digests with their key.",
}


def write_readme():
    nun = sum(len(c["unconfirmed"]) for c in CAPS)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README_HEAD)
        f.write(recording.readme_totals(CAPS, digests=True))
        f.write("\n## Shapes → captures\n\n| shape | labelled items | captures |\n| --- | --- | --- |\n")
        for s, title in SHAPES.items():
            items = [(c, e) for c in CAPS for e in c["expected"] if e["shape"] == s]
            caps = [c["file"] for c in CAPS if c["shape"] == s or any(e["shape"] == s for e in c["expected"])]
            n = len(items) if s != 6 else sum(len(c["decoys"]) for c in CAPS if c["shape"] == 6)
            f.write("| %d. %s | %s | %s |\n" % (s, title, "%d decoys + %d unconfirmed digests"
                                                % (n, nun) if s == 6 else str(n), ", ".join("`%s`" % x for x in caps)))
        for s, title in SHAPES.items():
            f.write("\n### %d. %s\n\nwirecheck must find: %s\n\n" % (s, title, SHAPE_WHAT[s]))
            for c in CAPS:
                items = [e for e in c["expected"] if e["shape"] == s]
                if s == 6 and c["shape"] == 6:
                    f.write("- `%s`: decoys %s\n" % (c["file"], ", ".join("`%s`" % d for d in c["decoys"])))
                    for u in c["unconfirmed"]:
                        f.write("  - unconfirmed digest: %s `%s` of another IMEI under `%s`\n"
                                % (u["algorithm"], u["value"], u["field"]))
                elif items:
                    f.write("- `%s`: %s\n" % (c["file"], "; ".join(
                        "%s `%s`%s" % (e["type"], e.get("raw", e["value"]), "" if "raw" not in e else
                                       " → `%s`" % e["value"]) for e in items)))
            if s == 6:
                f.write("- decoys elsewhere: %s\n" % "; ".join(
                    "`%s`: %s" % (c["file"], ", ".join("`%s`" % d for d in c["decoys"]))
                    for c in CAPS if c["shape"] != 6 and c["decoys"]))
        recording.write_readme_captures(f, CAPS, lambda c: "port %d; shape %d" % (c["port"], c["shape"]))


def main():
    check_ids()
    only = set(sys.argv[1:])
    for c in CAPS:
        if not only or c["file"] in only:
            recording.run_capture(c, OUT, ack_byte=1)
    recording.write_device(os.path.join(OUT, "device.yaml"))
    recording.write_manifest(os.path.join(OUT, "manifest.yaml"), MANIFEST_HEAD, CAPS)
    write_readme()


if __name__ == "__main__":
    main()
