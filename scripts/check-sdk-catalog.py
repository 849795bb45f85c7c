#!/usr/bin/env python3
"""Validate Policies/sdk-catalog.yaml and Policies/declared-list-vocabulary.yaml.

Usage: scripts/check-sdk-catalog.py [--catalog PATH] [--vocabulary PATH] [--quiet]

Checks the catalogue schema (unique kebab-case ids, allowed categories / match kinds /
confidence / evidence, lower-case well-formed hosts, wildcard = exactly one leading "*"
label, CIDRs parse, http(s) sources, no broad vendor apex used as a suffix or wildcard
base, no duplicate YAML keys) and the vocabulary schema (known column fields, every
pi_words value is a wirecheck PI type or an existing "category:<x>", no word both
mapped and listed as not_detected). Prints counts; exits 1 on any error.
Needs python3 + PyYAML only.
"""
import argparse
import collections
import ipaddress
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CATEGORIES = [
    "analytics", "advertising", "attribution", "push", "crash-reporting", "maps-location",
    "payment", "social-login", "carrier-login", "risk-control", "customer-service", "rtc-im",
    "cloud-storage-cdn", "httpdns", "ab-testing", "session-replay", "customer-engagement",
    "web-engine", "app-update", "other",
]
MATCH_KINDS = {"exact", "suffix", "wildcard"}
CONFIDENCE = ["high", "medium", "low"]
EVIDENCE = ["official-doc", "official-sdk-source", "tracker-db", "community-list", "dpi",
            "decompiled-sdk", "third-party-article"]
SDK_REQUIRED = ["id", "name", "name_zh", "vendor", "vendor_zh", "category", "collects_pi",
                "aliases", "domains"]
SDK_OPTIONAL = ["networks", "note"]
DOMAIN_REQUIRED = ["match", "value", "confidence", "evidence", "source"]
NETWORK_REQUIRED = ["cidr", "confidence", "evidence", "source"]
ENTRY_OPTIONAL = ["note"]

# Broad apexes that must never be a suffix pattern or a wildcard base: the vendor's whole
# estate (its own apps, websites, cloud customers), not one SDK's endpoint.
BANNED_APEXES = {
    # named in the brief
    "qq.com", "tencent.com", "baidu.com", "alibaba.com", "aliyuncs.com", "google.com",
    "googleapis.com", "facebook.com", "apple.com", "huawei.com", "xiaomi.com", "bytedance.com",
    "amazonaws.com", "cloudfront.net",
    # same kind of thing
    "weixin.qq.com", "wechat.com", "taobao.com", "tmall.com", "alicdn.com", "aliyun.com",
    "myqcloud.com", "qcloud.com", "tencent-cloud.com", "gtimg.cn", "gtimg.com", "qpic.cn",
    "baidubce.com", "bcebos.com", "bdstatic.com", "gstatic.com", "googleusercontent.com",
    "googlevideo.com", "fbcdn.net", "facebook.net",
    "instagram.com", "whatsapp.net", "icloud.com", "mzstatic.com", "microsoft.com", "azure.com",
    "azureedge.net", "windows.net", "amazon.com", "akamai.net", "akamaihd.net", "akamaized.net",
    "edgekey.net", "edgesuite.net", "akadns.net", "cloudflare.com", "cloudflare.net",
    "fastly.net", "hicloud.com", "dbankcloud.com", "dbankcloud.cn", "mi.com", "miui.com",
    "xiaomi.net", "vivo.com.cn", "oppomobile.com", "heytapmobi.com", "hihonor.com", "meizu.com",
    "flyme.cn", "volces.com", "volcengine.com", "zijieapi.com", "snssdk.com", "toutiao.com",
    "douyin.com", "pstatp.com", "bytecdn.cn", "kuaishou.com", "weibo.com", "weibo.cn",
    "sina.com.cn", "sina.cn", "sinaimg.cn", "163.com", "126.net", "netease.com", "jd.com",
    "360.cn", "sohu.com", "10010.com", "10086.cn", "189.cn", "autonavi.com",
}
# Public suffixes that can never be a pattern base on their own.
PUBLIC_SUFFIXES = {"com", "net", "org", "cn", "io", "co", "me", "com.cn", "net.cn", "org.cn",
                   "gov.cn", "edu.cn", "com.hk", "co.uk", "ru", "in", "us", "info", "link"}

PI_TYPES = ["imei", "meid", "imsi", "iccid", "phone_cn", "resident_id_cn", "bank_card", "email",
            "mac", "android_id", "oaid", "idfa", "idfv", "serial", "coordinates", "password",
            "auth_token", "basic_auth", "ssid", "bssid", "app_list", "face_image"]
PI_TYPES_SOON = ["person_name", "address", "birth_date", "gender", "contact_list"]
COLUMN_FIELDS_REQUIRED = ["sdk_name", "company", "purpose", "scenario", "pi_types", "method",
                          "policy_url", "website", "domains", "package"]
COLUMN_FIELDS_OPTIONAL = ["version", "permissions", "platform", "sharing_type", "contact",
                          "processing", "security", "index"]
VOCAB_KEYS_REQUIRED = ["version", "columns", "pi_words", "categories", "not_detected"]
VOCAB_KEYS_OPTIONAL = ["methods", "vendors"]

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Report:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def err(self, where, msg):
        self.errors.append(f"ERROR {where}: {msg}")

    def warn(self, where, msg):
        self.warnings.append(f"warning {where}: {msg}")


def load(path, rep):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=UniqueKeyLoader)
    except FileNotFoundError:
        rep.err(path, "file not found")
    except yaml.YAMLError as e:
        rep.err(path, f"YAML error: {e}")
    return None


def check_keys(obj, required, optional, where, rep):
    if not isinstance(obj, dict):
        rep.err(where, f"expected a mapping, got {type(obj).__name__}")
        return False
    for k in required:
        if k not in obj:
            rep.err(where, f"missing key '{k}'")
    for k in obj:
        if k not in required and k not in optional:
            rep.err(where, f"unknown key '{k}'")
    return True


def is_str(v):
    return isinstance(v, str) and v.strip() != "" and v == v.strip()


def check_host(value, where, rep):
    """Validate a host name (no wildcard). Returns True if well formed."""
    if not isinstance(value, str) or not value:
        rep.err(where, "host must be a non-empty string")
        return False
    ok = True
    if value != value.lower():
        rep.err(where, f"'{value}' is not lower-case"); ok = False
    if value.endswith("."):
        rep.err(where, f"'{value}' has a trailing dot"); ok = False
    if "://" in value or "/" in value or ":" in value or " " in value:
        rep.err(where, f"'{value}' must be a bare host (no scheme, path, port or spaces)"); ok = False
    if re.search(r"[\\^$()\[\]{}+?|]", value):
        rep.err(where, f"'{value}' looks like a regex fragment"); ok = False
    if not ok:
        return False
    if len(value) > 253:
        rep.err(where, f"'{value}' is longer than 253 characters"); return False
    labels = value.split(".")
    if len(labels) < 2:
        rep.err(where, f"'{value}' needs at least two labels"); return False
    for lab in labels:
        if not LABEL_RE.match(lab):
            rep.err(where, f"'{value}' has an invalid DNS label '{lab}'"); return False
    if labels[-1].isdigit():
        rep.err(where, f"'{value}' looks like an IP address; use networks instead"); return False
    return True


def check_source(src, where, rep):
    if not isinstance(src, str) or not URL_RE.match(src):
        rep.err(where, f"source must be an http(s) URL, got {src!r}")


def check_catalog(path, rep):
    data = load(path, rep)
    if data is None:
        return None
    if not check_keys(data, ["version", "sdks"], [], path, rep):
        return None
    if data.get("version") != 1:
        rep.err(path, f"version must be 1, got {data.get('version')!r}")
    sdks = data.get("sdks")
    if not isinstance(sdks, list) or not sdks:
        rep.err(path, "'sdks' must be a non-empty list")
        return None

    ids = set()
    pattern_owners = collections.defaultdict(list)
    alias_owners = collections.defaultdict(list)
    stats = dict(sdks=0, name_only=0, by_category=collections.Counter(),
                 patterns=0, by_match=collections.Counter(), by_conf=collections.Counter(),
                 by_evidence=collections.Counter(), networks=0, net_conf=collections.Counter(),
                 cat_patterns=collections.Counter())
    for i, s in enumerate(sdks):
        where = f"sdks[{i}]"
        if isinstance(s, dict) and isinstance(s.get("id"), str):
            where = f"sdk '{s['id']}'"
        if not check_keys(s, SDK_REQUIRED, SDK_OPTIONAL, where, rep):
            continue
        stats["sdks"] += 1
        sid = s.get("id")
        if not isinstance(sid, str) or not ID_RE.match(sid):
            rep.err(where, f"id {sid!r} is not kebab-case")
        elif sid in ids:
            rep.err(where, "duplicate id")
        else:
            ids.add(sid)
        for k in ("name", "vendor"):
            if not is_str(s.get(k)):
                rep.err(where, f"'{k}' must be a non-empty string")
        for k in ("name_zh", "vendor_zh"):
            if s.get(k) is not None and not is_str(s.get(k)):
                rep.err(where, f"'{k}' must be a non-empty string or null")
        cat = s.get("category")
        if cat not in CATEGORIES:
            rep.err(where, f"category {cat!r} is not one of the allowed ids")
        else:
            stats["by_category"][cat] += 1
        if not isinstance(s.get("collects_pi"), bool):
            rep.err(where, "'collects_pi' must be true or false")
        if "note" in s and not is_str(s["note"]):
            rep.err(where, "'note' must be a non-empty string")
        aliases = s.get("aliases")
        if not isinstance(aliases, list) or not aliases:
            rep.err(where, "'aliases' must be a non-empty list")
        else:
            seen = set()
            for a in aliases:
                if not is_str(a):
                    rep.err(where, f"alias {a!r} must be a non-empty string without outer spaces")
                    continue
                if a.lower() in seen:
                    rep.err(where, f"duplicate alias {a!r}")
                seen.add(a.lower())
                alias_owners[a.lower()].append(sid)

        domains = s.get("domains")
        networks = s.get("networks", [])
        if not isinstance(domains, list):
            rep.err(where, "'domains' must be a list (use [] for a name-only entry)")
            domains = []
        if not isinstance(networks, list):
            rep.err(where, "'networks' must be a list")
            networks = []
        if not domains and not networks:
            stats["name_only"] += 1
        local = set()
        for j, d in enumerate(domains):
            dw = f"{where} domains[{j}]"
            if not check_keys(d, DOMAIN_REQUIRED, ENTRY_OPTIONAL, dw, rep):
                continue
            stats["patterns"] += 1
            if isinstance(cat, str):
                stats["cat_patterns"][cat] += 1
            m, v = d.get("match"), d.get("value")
            if m not in MATCH_KINDS:
                rep.err(dw, f"match {m!r} is not exact|suffix|wildcard")
            else:
                stats["by_match"][m] += 1
            if d.get("confidence") not in CONFIDENCE:
                rep.err(dw, f"confidence {d.get('confidence')!r} not allowed")
            else:
                stats["by_conf"][d["confidence"]] += 1
            if d.get("evidence") not in EVIDENCE:
                rep.err(dw, f"evidence {d.get('evidence')!r} not allowed")
            else:
                stats["by_evidence"][d["evidence"]] += 1
            check_source(d.get("source"), dw, rep)
            if "note" in d and not is_str(d["note"]):
                rep.err(dw, "'note' must be a non-empty string")
            if not isinstance(v, str):
                rep.err(dw, "value must be a string")
                continue
            base = v
            if m == "wildcard":
                if not v.startswith("*.") or v.count("*") != 1:
                    rep.err(dw, f"wildcard '{v}' must have exactly one '*' as its leftmost label")
                    continue
                base = v[2:]
                if len(base.split(".")) < 2:
                    rep.err(dw, f"wildcard '{v}' is too broad (base needs two labels)")
            elif "*" in v:
                rep.err(dw, f"'*' is only allowed in wildcard patterns ('{v}')")
                continue
            if not check_host(base, dw, rep):
                continue
            if m in ("suffix", "wildcard"):
                if base in BANNED_APEXES:
                    rep.err(dw, f"broad vendor apex '{base}' may not be a {m} pattern")
                if base in PUBLIC_SUFFIXES:
                    rep.err(dw, f"public suffix '{base}' may not be a pattern base")
            key = (m, v)
            if key in local:
                rep.err(dw, f"duplicate pattern {m}:{v} in the same SDK")
            local.add(key)
            pattern_owners[key].append(sid)
        for j, n in enumerate(networks):
            nw = f"{where} networks[{j}]"
            if not check_keys(n, NETWORK_REQUIRED, ENTRY_OPTIONAL, nw, rep):
                continue
            stats["networks"] += 1
            try:
                net = ipaddress.ip_network(n.get("cidr"), strict=True)
                limit = 16 if net.version == 4 else 32
                if net.prefixlen < limit:
                    rep.err(nw, f"{net} is broader than /{limit}")
            except (ValueError, TypeError) as e:
                rep.err(nw, f"cidr {n.get('cidr')!r} does not parse: {e}")
            if n.get("confidence") not in CONFIDENCE:
                rep.err(nw, f"confidence {n.get('confidence')!r} not allowed")
            else:
                stats["net_conf"][n["confidence"]] += 1
            if n.get("evidence") not in EVIDENCE:
                rep.err(nw, f"evidence {n.get('evidence')!r} not allowed")
            check_source(n.get("source"), nw, rep)
            if "note" in n and not is_str(n["note"]):
                rep.err(nw, "'note' must be a non-empty string")

    stats["vendors"] = {s.get("vendor") for s in sdks if isinstance(s, dict)}
    stats["shared"] = {k: v for k, v in pattern_owners.items() if len(v) > 1}
    stats["shared_aliases"] = {k: v for k, v in alias_owners.items() if len(set(v)) > 1}
    for (m, v), owners in sorted(stats["shared"].items()):
        rep.warn("catalogue", f"pattern {m}:{v} is listed under several SDKs: {', '.join(owners)}")
    for a, owners in sorted(stats["shared_aliases"].items()):
        rep.warn("catalogue", f"alias {a!r} names several SDKs: {', '.join(sorted(set(owners)))}")
    return stats


def check_vocabulary(path, rep):
    data = load(path, rep)
    if data is None:
        return None
    if not check_keys(data, VOCAB_KEYS_REQUIRED, VOCAB_KEYS_OPTIONAL, path, rep):
        return None
    if data.get("version") != 1:
        rep.err(path, f"version must be 1, got {data.get('version')!r}")
    stats = dict(headings=0, fields=0, words=0, categories=0, not_detected=0,
                 pi_used=set(), soon_used=set(), vendor_keys=set())

    def str_list(v, where, allow_empty=False):
        if not isinstance(v, list) or (not v and not allow_empty):
            rep.err(where, "must be a non-empty list")
            return []
        out, seen = [], set()
        for x in v:
            if not is_str(x):
                rep.err(where, f"{x!r} must be a non-empty string without outer spaces")
                continue
            if x in seen:
                rep.err(where, f"duplicate entry {x!r}")
            seen.add(x)
            out.append(x)
        return out

    cols = data.get("columns")
    if check_keys(cols, COLUMN_FIELDS_REQUIRED, COLUMN_FIELDS_OPTIONAL, f"{path} columns", rep):
        owner = {}
        for field, heads in cols.items():
            stats["fields"] += 1
            for h in str_list(heads, f"columns.{field}"):
                stats["headings"] += 1
                norm = h.lower()
                if norm in owner and owner[norm] != field:
                    rep.err(f"columns.{field}", f"heading {h!r} is also listed under {owner[norm]}")
                owner[norm] = field

    cats = data.get("categories")
    cat_names = set()
    if not isinstance(cats, dict) or not cats:
        rep.err(f"{path} categories", "must be a non-empty mapping")
    else:
        for name, types in cats.items():
            stats["categories"] += 1
            if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
                rep.err("categories", f"category name {name!r} must be snake_case")
            cat_names.add(name)
            for t in str_list(types, f"categories.{name}"):
                if t in PI_TYPES:
                    stats["pi_used"].add(t)
                elif t in PI_TYPES_SOON:
                    stats["soon_used"].add(t)
                else:
                    rep.err(f"categories.{name}", f"{t!r} is not a wirecheck PI type")

    words = data.get("pi_words")
    word_keys = set()
    if not isinstance(words, dict) or not words:
        rep.err(f"{path} pi_words", "must be a non-empty mapping")
    else:
        lowered = {}
        for w, vals in words.items():
            stats["words"] += 1
            if not isinstance(w, str) or not w.strip() or w != w.strip():
                rep.err("pi_words", f"word {w!r} must be a non-empty string without outer spaces")
                continue
            if w.lower() in lowered:
                rep.err("pi_words", f"{w!r} duplicates {lowered[w.lower()]!r} (case-insensitive)")
            lowered[w.lower()] = w
            word_keys.add(w.lower())
            for v in str_list(vals, f"pi_words[{w!r}]"):
                if v.startswith("category:"):
                    if v[len("category:"):] not in cat_names:
                        rep.err(f"pi_words[{w!r}]", f"{v!r} names no category in 'categories'")
                elif v in PI_TYPES:
                    stats["pi_used"].add(v)
                elif v in PI_TYPES_SOON:
                    stats["soon_used"].add(v)
                else:
                    rep.err(f"pi_words[{w!r}]", f"{v!r} is not a wirecheck PI type or category:<x>")

    nd = str_list(data.get("not_detected"), f"{path} not_detected")
    stats["not_detected"] = len(nd)
    nd_lower = set()
    for w in nd:
        if w.lower() in word_keys:
            rep.err("not_detected", f"{w!r} is also mapped in pi_words")
        if w.lower() in nd_lower:
            rep.err("not_detected", f"{w!r} listed twice (case-insensitive)")
        nd_lower.add(w.lower())

    if "methods" in data:
        m = data["methods"]
        if check_keys(m, ["client_side", "server_side"], [], f"{path} methods", rep):
            seen = {}
            for side in ("client_side", "server_side"):
                for x in str_list(m.get(side), f"methods.{side}"):
                    if x in seen:
                        rep.err(f"methods.{side}", f"{x!r} is also under {seen[x]}")
                    seen[x] = side
    if "vendors" in data:
        v = data["vendors"]
        if not isinstance(v, dict) or not v:
            rep.err(f"{path} vendors", "must be a non-empty mapping")
        else:
            names = {}
            stats["vendor_keys"] = set(v)
            for vendor, legal in v.items():
                if not is_str(vendor):
                    rep.err("vendors", f"vendor key {vendor!r} must be a non-empty string")
                for n in str_list(legal, f"vendors[{vendor!r}]"):
                    if n in names and names[n] != vendor:
                        rep.err(f"vendors[{vendor!r}]", f"{n!r} is also listed under {names[n]!r}")
                    names[n] = vendor
    missing = [t for t in PI_TYPES if t not in stats["pi_used"]]
    if missing:
        rep.warn("vocabulary", f"no pi_word or category maps to: {', '.join(missing)}")
    return stats


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--catalog", default=os.path.join(ROOT, "Policies", "sdk-catalog.yaml"))
    ap.add_argument("--vocabulary", default=os.path.join(ROOT, "Policies", "declared-list-vocabulary.yaml"))
    ap.add_argument("--quiet", action="store_true", help="print errors and the summary only")
    args = ap.parse_args()
    rep = Report()
    cs = check_catalog(args.catalog, rep)
    vs = check_vocabulary(args.vocabulary, rep)
    if cs and vs:
        # cross-file: the vocabulary's vendor table must be keyed by catalogue vendor names
        for vendor in sorted(vs["vendor_keys"] - cs["vendors"]):
            rep.err("vocabulary vendors", f"{vendor!r} is not the vendor of any catalogue SDK")

    if cs:
        print(f"catalogue {os.path.relpath(args.catalog)}")
        print(f"  SDKs: {cs['sdks']} ({cs['sdks'] - cs['name_only']} with patterns, {cs['name_only']} name-only)")
        print(f"  patterns: {cs['patterns']}  by match: " + ", ".join(f"{k} {cs['by_match'][k]}" for k in ("exact", "suffix", "wildcard")))
        print("  by confidence: " + ", ".join(f"{k} {cs['by_conf'][k]}" for k in CONFIDENCE))
        print("  by evidence: " + ", ".join(f"{k} {cs['by_evidence'][k]}" for k in EVIDENCE if cs['by_evidence'][k]))
        print(f"  networks: {cs['networks']} (" + ", ".join(f"{k} {cs['net_conf'][k]}" for k in CONFIDENCE) + ")")
        print("  per category (SDKs / patterns):")
        for c in CATEGORIES:
            print(f"    {c:20} {cs['by_category'][c]:4} / {cs['cat_patterns'][c]}")
        print(f"  patterns shared by several SDKs: {len(cs['shared'])}; aliases naming several SDKs: {len(cs['shared_aliases'])}")
    if vs:
        print(f"vocabulary {os.path.relpath(args.vocabulary)}")
        print(f"  column fields: {vs['fields']}, headings: {vs['headings']}")
        print(f"  pi_words: {vs['words']}, categories: {vs['categories']}, not_detected: {vs['not_detected']}")
        print(f"  PI types reachable: {len(vs['pi_used'])}/{len(PI_TYPES)} (+{len(vs['soon_used'])} coming-soon types)")
    if not args.quiet:
        for w in rep.warnings:
            print(w)
    for e in rep.errors:
        print(e)
    print(f"{len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
