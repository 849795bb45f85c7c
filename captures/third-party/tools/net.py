"""Topology shared by the servers (tools/servers.py), the app driver (tools/app.py) and the
expectation writer (tools/expect.py).

Two network namespaces made by make.sh: wc-tp-app (the phone: 198.18.0.2) and wc-tp-srv (every
server). A veth pair joins them; the app routes 198.18.0.0/15 to wc-tp-srv, where every address
below is configured, so a flow's server address can only be named by the DNS answer, SNI, Host
header or HTTPDNS answer that the capture itself shows.

Documented hard-coded addresses (203.107.1.1, 119.29.29.98, 180.76.76.200) are never used on the
wire while capturing: the client connects to a stand-in from 198.19.0.0/16 (curl --connect-to
keeps the URL host, so the Host header still reads the real address), and make.sh rewrites the
stand-ins to the documented addresses in the finished pcap with tcprewrite --pnat (checksums
fixed). STANDINS is that map.
"""

APP_ADDR = "198.18.0.2"
GW_ADDR = "198.18.0.1"
DNS_ADDR = "198.18.0.53"

# host -> IPv4 address served in wc-tp-srv (one address per host unless noted)
HOSTS = {
    # Umeng: the A record sits behind a CNAME chain on Alibaba's GSLB (gds.alibabadns.com)
    "ulogs.umeng.com.gds.alibabadns.com": "198.18.1.10",
    "sdk.open.talk.getui.net": "198.18.2.10",
    "android.bugly.qq.com": "198.18.3.10",
    "app.adjust.com": "198.18.4.10",
    "app-measurement.com": "198.18.5.10",
    "firebaselogging-pa.googleapis.com": "198.18.5.11",
    "conversions.appsflyer.com": "198.18.5.20",
    "o0.ingest.sentry.io": "198.18.5.30",
    "httpdns.volcengineapi.com": "198.18.6.20",
    "httpdns.huaweicloud.com": "198.18.6.30",
    "hmma.baidu.com": "198.18.7.10",
    "api.map.baidu.com": "198.18.7.20",
    "tsis.jpush.cn": "198.18.8.10",
    "mi.gdt.qq.com": "198.18.8.20",
    "api-access.pangolin-sdk-toutiao.com": "198.18.8.30",
    "pangolin.snssdk.com": "198.18.8.31",
    "restapi.amap.com": "198.18.8.40",
    # short-TTL answer (5 s), later re-answered for apilocate.amap.com: same address
    "aaid.umeng.com": "198.18.9.9",
    "apilocate.amap.com": "198.18.9.9",
    # first party
    "api.example-shop.cn": "198.18.10.10",
    "img.exshop-cdn.cn": "198.18.10.20",
    # vendor apps and vendor SDK endpoints
    "short.weixin.qq.com": "198.18.11.10",
    "long.weixin.qq.com": "198.18.11.11",
    "open.weixin.qq.com": "198.18.11.20",
    "www.facebook.com": "198.18.12.10",
    "graph.facebook.com": "198.18.12.20",
}

# DNS-only data (never connected to)
CNAMES = {"ulogs.umeng.com": "ulogs.umeng.com.gds.alibabadns.com"}
AAAA = {"firebaselogging-pa.googleapis.com": "2001:db8:5::11"}
HTTPS_RR = {"app-measurement.com": '1 . alpn="h2,h3" ipv4hint=198.18.5.10'}
TTL = {"aaid.umeng.com": 5, "ulogs.umeng.com": 600}
DEFAULT_TTL = 60

# Addresses handed out by HTTPDNS answers (never in any DNS answer): host -> address
HTTPDNS_ANSWERS = {
    "api.example-shop.cn": ["198.18.20.10"],
    "ulogs.umeng.com": ["198.18.20.12"],
    "img.exshop-cdn.cn": ["198.18.20.11"],
    "m.example-shop.cn": ["198.18.20.20", "198.18.20.21"],
    "pay.example-shop.cn": ["198.18.20.30"],
    "live.example-shop.cn": ["198.18.20.40"],
}

# documented hard-coded address -> stand-in used on the wire during capture
STANDINS = {
    "203.107.1.1": "198.19.203.1",     # Alibaba Cloud HTTPDNS (EMAS C SDK default IPv4 boot server)
    "119.29.29.98": "198.19.119.98",   # Tencent Cloud / DNSPod HTTPDNS, HTTP entry
    "180.76.76.200": "198.19.180.200", # Baidu AI Cloud HTTPDNS
}

# certificate name for addresses that are reached without SNI (server picks by local address)
def host_for_addr(addr):
    for real, st in STANDINS.items():
        if st == addr:
            return real
    for h, ips in HTTPDNS_ANSWERS.items():
        if addr in ips:
            return h
    for h, a in HOSTS.items():
        if a == addr:
            for alias, target in CNAMES.items():
                if target == h:
                    return alias
            return h
    return None


def server_addrs():
    out = {DNS_ADDR}
    out.update(HOSTS.values())
    for ips in HTTPDNS_ANSWERS.values():
        out.update(ips)
    out.update(STANDINS.values())
    return sorted(out, key=lambda a: tuple(int(x) for x in a.split(".")))


def cert_names():
    """Every name (or IP literal) a server certificate is made for."""
    names = set(HOSTS) | set(CNAMES) | set(HTTPDNS_ANSWERS) | set(STANDINS)
    names.discard("ulogs.umeng.com.gds.alibabadns.com")
    return sorted(names)


# The test phone: the identifiers of ../../pii/device.yaml, so the same --device file confirms them.
DEVICE = {
    "imei": "861234567890127",
    "oaid": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "android_id": "3f9a1c7e5b2d4086",
    "mac": "a4:50:46:1c:7e:92",
    "phone": "13912348876",
    "lat": "22.543096",
    "lon": "114.057865",
    "imsi": "460011234567890",
}
APP_PKG = "cn.exshop.android"
APP_VER = "6.8.2"
UA = "Dalvik/2.1.0 (Linux; U; Android 12; M2102J2SC Build/SKQ1.211006.001)"
