#!/usr/bin/env python3
"""Writes the example declared sharing lists (第三方信息共享清单) under declared/.

complete.xlsx is made by LibreOffice headless from a CSV (title row + header + rows + a note row),
then openpyxl merges the title row across the table, and LibreOffice opens and saves the file
again so the committed file is one LibreOffice wrote; the script re-reads it with openpyxl and
with LibreOffice (xlsx -> csv) and fails if the title merge, headings or rows are not there.

EXPECTED is what each file must produce; tools/expect.py copies it into expectations.yaml.

Usage: declared.py OUTDIR
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

HEAD = ["SDK名称", "第三方公司名称", "使用目的", "使用场景", "收集个人信息类型", "收集方式", "隐私政策链接"]
TITLE = "示例购App 第三方信息共享清单"
OPERATOR = "深圳示例购网络科技有限公司"
FIRST_PARTY = ["example-shop.cn", "exshop-cdn.cn"]
NOTE = ("说明：本清单不含本App运营者%s的自有服务（自有域名：%s）。第三方SDK的个人信息处理规则以其官方公布为准。"
        % (OPERATOR, "、".join(FIRST_PARTY)))
LOCAL = "SDK本地采集"

# (sdk id, row) — every SDK the captures contact, with PI wide enough for what they send
ROWS = [
    ("umeng-analytics", ["友盟+统计SDK(com.umeng.umsdk)", "友盟同欣(北京)科技有限公司", "统计分析App使用情况、基础反作弊",
                         "App启动及使用过程中", "设备信息（IMEI、OAID、Android ID、MAC地址、设备型号、操作系统版本）、位置信息（经纬度）、网络信息（IP地址、网络类型）",
                         LOCAL, "https://www.umeng.com/page/policy"]),
    ("jiguang-jpush", ["极光推送SDK(cn.jiguang)", "深圳市和讯华谷信息技术有限公司", "消息推送",
               "接收订单状态及活动通知", "设备信息（IMEI、IMSI、Android ID、MAC地址）、网络信息", LOCAL,
               "https://www.jiguang.cn/license/privacy"]),
    ("getui-push", ["个推推送SDK(com.igexin)", "每日互动股份有限公司", "消息推送", "接收订单状态通知",
                    "设备信息（IMEI、OAID、Android ID、MAC地址）、网络信息", LOCAL, "https://docs.getui.com/privacy/"]),
    ("tencent-bugly", ["腾讯Bugly SDK", "深圳市腾讯计算机系统有限公司", "崩溃日志上报与分析", "App发生崩溃或卡顿时",
                       "设备信息（设备型号、操作系统版本、Android ID）、日志信息（崩溃信息）", LOCAL,
                       "https://static.bugly.qq.com/bugly-sdk-privacy-statement.pdf"]),
    ("tencent-gdt", ["腾讯优量汇(广点通)SDK", "深圳市腾讯计算机系统有限公司", "广告投放与效果监测", "开屏及信息流广告",
                     "设备信息（IMEI、OAID、Android ID、MAC地址）、位置信息、应用列表", LOCAL,
                     "https://e.qq.com/dev/help_detail.html?cid=2005&pid=5983"]),
    ("pangle-cn", ["穿山甲广告SDK(com.bytedance)", "北京巨量引擎网络科技有限公司", "广告投放及广告反作弊", "开屏及激励视频广告",
                "设备信息（IMEI、OAID、Android ID、MAC地址、设备品牌、型号）、应用信息（软件列表）、网络信息", LOCAL,
                "https://www.pangle.cn/privacy"]),
    ("amap", ["高德定位SDK(com.amap.api)", "高德软件有限公司", "定位与地址解析", "选择收货地址、查看附近门店",
                       "位置信息（经纬度、GNSS信息）、设备标识信息（OAID、Android ID）、网络信息（IP地址、SSID、BSSID）", LOCAL,
                       "https://lbs.amap.com/pages/privacy/"]),
    ("baidu-map", ["百度地图SDK", "北京百度网讯科技有限公司", "地图展示与逆地理编码", "门店地图",
                   "位置信息（经纬度）、设备信息（设备型号、操作系统版本）", LOCAL,
                   "https://lbsyun.baidu.com/index.php?title=openprivacy"]),
    ("baidu-mobstat", ["百度移动统计SDK", "北京百度网讯科技有限公司", "统计分析", "App使用过程中",
                       "设备信息（Android ID、OAID、设备型号）、网络信息", LOCAL, "https://mtj.baidu.com/web/help/article?id=330"]),
    ("aliyun-httpdns", ["阿里云HTTPDNS SDK", "阿里云计算有限公司", "域名解析，防止域名劫持", "App发起网络请求时",
                         "网络信息（IP地址、网络类型）", LOCAL, "https://terms.aliyun.com/legal-agreement/terms/suit_bu1_ali_cloud/suit_bu1_ali_cloud201902141711_54837.html"]),
    ("tencent-cloud-httpdns", ["腾讯云移动解析HTTPDNS SDK", "腾讯云计算(北京)有限责任公司", "域名解析", "App发起网络请求时",
                         "网络信息（IP地址）", LOCAL, "https://cloud.tencent.com/document/product/379/70658"]),
    ("baidu-httpdns", ["百度智能云HTTPDNS SDK", "北京百度网讯科技有限公司", "域名解析", "App发起网络请求时",
                       "网络信息（IP地址）", LOCAL, "https://cloud.baidu.com/doc/Agreements/s/Kjwvy245m"]),
    ("huaweicloud-httpdns", ["华为云HTTPDNS SDK", "华为云计算技术有限公司", "域名解析", "App发起网络请求时",
                        "网络信息（IP地址）", LOCAL, "https://www.huaweicloud.com/declaration/sa_prp.html"]),
    ("volcengine-httpdns", ["火山引擎HTTPDNS SDK", "北京火山引擎科技有限公司", "域名解析", "直播页面网络请求",
                            "网络信息（IP地址）", LOCAL, "https://www.volcengine.com/docs/6256/64902"]),
    ("firebase-analytics", ["Firebase Analytics SDK", "Google LLC", "海外版统计分析", "海外版App使用过程中",
                            "设备信息（Android ID、广告标识符、设备型号）、应用使用数据", LOCAL, "https://policies.google.com/privacy"]),
    ("appsflyer", ["AppsFlyer SDK", "AppsFlyer Ltd.", "广告归因", "海外版首次安装及启动",
                   "设备信息（OAID、Android ID、广告标识符）、网络信息", LOCAL, "https://www.appsflyer.com/legal/privacy-policy/"]),
    ("adjust", ["Adjust SDK", "Adjust GmbH", "广告归因与反作弊", "海外版首次安装及启动",
                "设备信息（广告标识符、Android ID）、网络信息", LOCAL, "https://www.adjust.com/terms/privacy-policy/"]),
    ("sentry", ["Sentry SDK", "Functional Software, Inc.", "崩溃与性能监控", "App发生崩溃时",
                "设备信息（设备型号、操作系统版本）、日志信息", LOCAL, "https://sentry.io/privacy/"]),
    ("wechat-opensdk", ["微信开放平台SDK(com.tencent.mm.opensdk)", "深圳市腾讯计算机系统有限公司", "微信登录、微信分享、微信支付",
                        "使用微信登录或分享时", "设备信息（设备型号、操作系统版本）", LOCAL,
                        "https://support.weixin.qq.com/cgi-bin/mmsupportacctnodeweb-bin/pages/RYiYJkLOrQwu0nb8"]),
    ("facebook-sdk", ["Facebook SDK", "Meta Platforms, Inc.", "海外版登录、分享及应用事件统计", "海外版使用Facebook登录时",
                      "设备信息（广告标识符）、应用事件", LOCAL, "https://www.facebook.com/privacy/policy/"]),
]
IDS = [i for i, _ in ROWS]

UMENG_NARROW = "设备信息（IMEI、OAID、Android ID、MAC地址、设备型号、操作系统版本）"
MALFORMED_CSV_ROW, MALFORMED_CSV_COL = 4, 3
UNKNOWN_WORD = "灵犀码"
UNKNOWN_SDK = ("无名氏推送SDK", "示例无名科技（杭州）有限公司")

EXPECTED = [
    {"file": "declared/complete.xlsx", "format": "xlsx", "made_with": "LibreOffice headless (soffice --convert-to xlsx) from a UTF-8 CSV; title merged with openpyxl; saved again by LibreOffice",
     "sheet": "complete", "title_row": 1, "title": TITLE, "merged": ["A1:G1"], "header_row": 2, "headings": HEAD,
     "entries": len(ROWS), "sdks": IDS,
     "first_party": {"domains": FIRST_PARTY, "operator": OPERATOR, "where": "note row %d below the table (column A)" % (len(ROWS) + 4)},
     "expected": "no undeclared SDK", "undeclared_sdks": [], "scope_exceeded": []},
    {"file": "declared/missing-sdk.csv", "format": "csv", "encoding": "utf-8 with BOM", "line_endings": "CRLF",
     "header_row": 1, "headings": HEAD + ["备注"], "entries": len(ROWS) - 1,
     "operator_row": {"row": 2, "domains": FIRST_PARTY, "where": "first data row: the app operator, domains in 备注"},
     "sdks": [i for i in IDS if i != "tencent-gdt"],
     "expected": "tencent-gdt undeclared",
     "undeclared_sdks": [{"sdk": "tencent-gdt", "hosts": ["mi.gdt.qq.com"],
                          "captures": ["sdk-pi-plaintext.pcap", "consent-refuse.pcap"]}],
     "scope_exceeded": []},
    {"file": "declared/narrow-scope.yaml", "format": "yaml", "entries": len(ROWS), "sdks": IDS,
     "first_party": {"domains": FIRST_PARTY, "where": "top-level key first_party_domains"},
     "expected": "umeng-analytics receives coordinates but declares only 设备信息",
     "undeclared_sdks": [],
     "scope_exceeded": [{"sdk": "umeng-analytics", "pi_type": "coordinates", "declared": UMENG_NARROW,
                         "hosts": ["ulogs.umeng.com"], "captures": ["sdk-pi-plaintext.pcap"]}]},
    {"file": "declared/narrow-scope.json", "format": "json", "entries": len(ROWS), "sdks": IDS,
     "first_party": {"domains": FIRST_PARTY, "where": "top-level key first_party_domains"},
     "expected": "same as narrow-scope.yaml", "undeclared_sdks": [],
     "scope_exceeded": [{"sdk": "umeng-analytics", "pi_type": "coordinates", "declared": UMENG_NARROW,
                         "hosts": ["ulogs.umeng.com"], "captures": ["sdk-pi-plaintext.pcap"]}]},
    {"file": "declared/gb18030.csv", "format": "csv", "encoding": "gb18030", "line_endings": "CRLF",
     "header_row": 1, "headings": HEAD, "entries": len(ROWS), "sdks": IDS,
     "expected": "same entries as complete.xlsx; no undeclared SDK", "undeclared_sdks": [], "scope_exceeded": []},
    {"file": "declared/malformed.csv", "format": "csv", "encoding": "utf-8",
     "error": {"row": MALFORMED_CSV_ROW, "column": MALFORMED_CSV_COL, "message_contains": "unterminated quote",
               "note": "row = physical line (1-based, header is line 1); column = 1-based field; the quote opens there and never closes"}},
    # malformed.yaml's error position is filled in by write_malformed_yaml (checked with PyYAML)
    {"file": "declared/malformed.yaml", "format": "yaml", "error": None},
    {"file": "declared/unknown-words.csv", "format": "csv", "encoding": "utf-8", "header_row": 1, "headings": HEAD,
     "entries": 3, "unknown_pi_words": [{"word": UNKNOWN_WORD, "row": 3, "sdk": "jiguang-jpush"}],
     "unmatched_sdk_names": [{"name": UNKNOWN_SDK[0], "company": UNKNOWN_SDK[1], "row": 4}],
     "expected": "one PI word no vocabulary knows; one SDK name that matches no catalogue entry"},
]


def csv_text(rows, head=HEAD, lineterminator="\r\n"):
    b = io.StringIO()
    w = csv.writer(b, lineterminator=lineterminator)
    w.writerow(head)
    w.writerows(rows)
    return b.getvalue()


def soffice(args, env_dir):
    subprocess.run(["soffice", "-env:UserInstallation=file://" + env_dir, "--headless", "--norestore"] + args,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def write_xlsx(out):
    import openpyxl
    w = tempfile.mkdtemp(prefix="wc-tp-lo.")
    try:
        prof = os.path.join(w, "profile")
        src = os.path.join(w, "complete.csv")
        with open(src, "w", encoding="utf-8", newline="") as f:
            cw = csv.writer(f, lineterminator="\n")
            cw.writerow([TITLE] + [""] * (len(HEAD) - 1))
            cw.writerow(HEAD)
            cw.writerows(r for _, r in ROWS)
            cw.writerow([""] * len(HEAD))
            cw.writerow([NOTE] + [""] * (len(HEAD) - 1))
        # CSV filter options: comma (44), double quote (34), UTF-8 (76), start at line 1
        soffice(["--infilter=CSV:44,34,76,1", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                 "--outdir", os.path.join(w, "lo1"), src], prof)
        wb = openpyxl.load_workbook(os.path.join(w, "lo1", "complete.xlsx"))
        ws = wb.active
        ws.title = "complete"
        ws.merge_cells("A1:G1")
        ws["A1"].font = openpyxl.styles.Font(bold=True, size=14)
        ws["A1"].alignment = openpyxl.styles.Alignment(horizontal="center")
        for c in ws[2]:
            c.font = openpyxl.styles.Font(bold=True)
        for col, width in zip("ABCDEFG", (34, 30, 26, 22, 60, 14, 50)):
            ws.column_dimensions[col].width = width
        mid = os.path.join(w, "mid")
        os.makedirs(mid)
        wb.save(os.path.join(mid, "complete.xlsx"))
        # LibreOffice opens the openpyxl file and writes the final one
        soffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", os.path.join(w, "lo2"),
                 os.path.join(mid, "complete.xlsx")], prof)
        final = os.path.join(w, "lo2", "complete.xlsx")
        # check: openpyxl and LibreOffice both read it back
        ws2 = openpyxl.load_workbook(final).active
        merged = [str(r) for r in ws2.merged_cells.ranges]
        assert merged == ["A1:G1"], merged
        assert ws2["A1"].value == TITLE
        assert [c.value for c in ws2[2]] == HEAD, [c.value for c in ws2[2]]
        got = [[c.value for c in row] for row in ws2.iter_rows(min_row=3, max_row=2 + len(ROWS))]
        assert got == [r for _, r in ROWS], "rows differ after LibreOffice round trip"
        assert ws2.cell(row=len(ROWS) + 4, column=1).value == NOTE
        soffice(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", os.path.join(w, "back"), final], prof)
        back = open(os.path.join(w, "back", "complete.csv"), encoding="utf-8").read()
        assert TITLE in back and HEAD[4] in back and ROWS[5][1][0] in back
        shutil.copyfile(final, out)
    finally:
        shutil.rmtree(w, ignore_errors=True)


MALFORMED_YAML = [
    "# 示例购App 第三方信息共享清单 (deliberately broken)",
    "title: %s" % TITLE,
    "first_party_domains: [%s]" % ", ".join(FIRST_PARTY),
    "sdks:",
    "  - SDK名称: 友盟+统计SDK(com.umeng.umsdk)",
    "    第三方公司名称: 友盟同欣(北京)科技有限公司",
    "    收集个人信息类型: 设备信息（IMEI、OAID、Android ID）",
    "  - SDK名称: 极光推送SDK(cn.jiguang)",
    "    使用目的: 消息推送: 订单通知",
    "    第三方公司名称: 深圳市和讯华谷信息技术有限公司",
]


def malformed_yaml_error(path):
    """Where PyYAML (libyaml's rules) stops in malformed.yaml: line 9, the second ': '."""
    import yaml
    try:
        yaml.safe_load(open(path, encoding="utf-8"))
    except yaml.YAMLError as e:
        m = e.problem_mark
        assert e.problem == "mapping values are not allowed here" and m.line + 1 == 9, (e.problem, m.line)
        return {"line": m.line + 1, "column": m.column + 1, "message_contains": "mapping values are not allowed",
                "note": "1-based line and column as PyYAML reports them: the second ': ' inside a plain scalar"}
    raise AssertionError("malformed.yaml parsed")


def expected(capdir):
    out = []
    for e in EXPECTED:
        e = dict(e)
        if e["file"] == "declared/malformed.yaml":
            e["error"] = malformed_yaml_error(os.path.join(capdir, e["file"]))
        out.append(e)
    return out


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rows = [r for _, r in ROWS]
    write_xlsx(os.path.join(out, "complete.xlsx"))

    op = ["示例购App自有服务", OPERATOR + "（本App运营者）", "提供商品浏览、下单、配送服务", "App全部功能",
          "账号信息、手机号码、收货地址、位置信息", "App直接收集", "https://www.example-shop.cn/privacy"]
    miss = [op + ["本App运营者；自有域名 %s" % "、".join(FIRST_PARTY)]]
    miss += [r + [""] for i, r in ROWS if i != "tencent-gdt"]
    with open(os.path.join(out, "missing-sdk.csv"), "w", encoding="utf-8-sig", newline="") as f:
        f.write(csv_text(miss, HEAD + ["备注"]))

    narrow = []
    for i, r in ROWS:
        d = dict(zip(HEAD, r))
        if i == "umeng-analytics":
            d["收集个人信息类型"] = UMENG_NARROW
        narrow.append(d)
    doc = {"title": TITLE, "operator": OPERATOR, "first_party_domains": FIRST_PARTY,
           "updated": "2024-06-01", "sdks": narrow}
    import yaml
    with open(os.path.join(out, "narrow-scope.yaml"), "w", encoding="utf-8") as f:
        f.write("# 示例购App 第三方信息共享清单: Umeng declared with 设备信息 only (no 位置信息)\n")
        yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False, width=200)
    with open(os.path.join(out, "narrow-scope.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")

    with open(os.path.join(out, "gb18030.csv"), "wb") as f:
        f.write(csv_text(rows).encode("gb18030"))

    mal = [list(r) for r in rows[:6]]
    text = csv_text(mal, lineterminator="\n").split("\n")
    # line 4 = third data row; field 3 (使用目的) opens a quote that never closes
    fields = next(csv.reader([text[MALFORMED_CSV_ROW - 1]]))
    fields[MALFORMED_CSV_COL - 1] = '"' + fields[MALFORMED_CSV_COL - 1]
    text[MALFORMED_CSV_ROW - 1] = ",".join(fields)
    with open(os.path.join(out, "malformed.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(text))
    try:
        list(csv.reader(open(os.path.join(out, "malformed.csv"), encoding="utf-8", newline=""), strict=True))
        raise AssertionError("malformed.csv parsed")
    except csv.Error:
        pass

    with open(os.path.join(out, "malformed.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(MALFORMED_YAML) + "\n")
    malformed_yaml_error(os.path.join(out, "malformed.yaml"))

    jp = list(dict(ROWS)["jiguang-jpush"])
    jp[4] = jp[4] + "、" + UNKNOWN_WORD
    unk = [dict(ROWS)["umeng-analytics"], jp,
           [UNKNOWN_SDK[0], UNKNOWN_SDK[1], "消息推送", "接收通知", "设备信息（Android ID）", LOCAL, "https://push.example.invalid/privacy"]]
    with open(os.path.join(out, "unknown-words.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(unk))
    print("declared lists written to %s" % out)


if __name__ == "__main__":
    main()
