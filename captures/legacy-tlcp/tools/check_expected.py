#!/usr/bin/env python3
# Cross-checks expected.yaml (packets, ClientHello frame, SNI, version, suite, certificate
# key types/bits/signatures) against the .pcap files using tshark, capinfos and openssl.
# usage: (cd captures/legacy-tlcp && python3 tools/check_expected.py)
import yaml, subprocess, sys
VER = {"0x0300":"SSL 3.0","0x0301":"TLS 1.0","0x0302":"TLS 1.1","0x0303":"TLS 1.2","0x0101":"TLCP"}
def tsh(f, flt, fields):
    a=["tshark","-r",f,"-Y",flt,"-T","fields","-E","separator=\t"]
    for x in fields: a+=["-e",x]
    return [l.split("\t") for l in subprocess.run(a,capture_output=True,text=True).stdout.splitlines()]
def certinfo(hexder):
    t=subprocess.run(["openssl","x509","-inform","DER","-noout","-text"],input=bytes.fromhex(hexder),capture_output=True).stdout.decode()
    import re
    bits=int(re.search(r"Public-Key: \((\d+) bit",t).group(1))
    alg=re.search(r"Public Key Algorithm: (\S+)",t).group(1)
    kt={"rsaEncryption":"RSA"}.get(alg,alg)
    if "ASN1 OID: SM2" in t: kt="SM2"
    sig=re.search(r"Signature Algorithm: (\S+)",t).group(1)
    return {"key_type":kt,"key_bits":bits,"signature":sig}
import os; os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
d=yaml.safe_load(open("expected.yaml")); bad=0
for c in d["captures"]:
    f=c["file"]; got={}
    n=int(subprocess.run(["capinfos","-c","-M",f],capture_output=True,text=True).stdout.split()[-1])
    ch=tsh(f,"tls.handshake.type==1",["frame.number","tls.handshake.extensions_server_name"])
    sh=tsh(f,"tls.handshake.type==2",["tls.handshake.version","tls.handshake.ciphersuite"])
    certs=tsh(f,"tls.handshake.type==11",["frame.number","tls.handshake.certificate"])
    h=c["handshakes"][0]
    checks=[("packets",n,c["packets"]),("nCH",len(ch),len(c["handshakes"])),("chp",int(ch[0][0]),h["client_hello_packet"]),
        ("sni",ch[0][1] or None,h["sni"]),("ver",VER[sh[0][0].split(",")[0]],h["version"]),("suite","0x"+sh[0][1].split(",")[0][2:].upper(),h["cipher_suite"]),
        ("certs",[certinfo(x) for x in certs[0][1].split(",")],h["certificates"]),
        ("ccerts",[certinfo(x) for x in certs[1][1].split(",")] if len(certs)>1 else [],h["client_certificates"])]
    for name,g,e in checks:
        if g!=e: print(f,name,"got",g,"expected",e); bad+=1
    print(f,"ok" if not bad else "")
print("mismatches:",bad)
