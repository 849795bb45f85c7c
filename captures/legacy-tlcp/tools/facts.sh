#!/bin/bash
# Prints, for each capture, the facts recorded in expected.yaml, as seen by tshark/capinfos/openssl.
# usage: tools/facts.sh [file.pcap ...]   (default: all *.pcap in this folder)
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- *.pcap
for f in "$@"; do
  echo "### $f  link=$(tshark -r "$f" -T fields -e frame.encap_type -c 1 2>/dev/null) ($(capinfos -E "$f" | sed -n 's/.*encapsulation: *//p'))  packets=$(capinfos -c -M "$f" | sed -n 's/.*packets: *//p')"
  tshark -r "$f" -Y "tls.handshake.type==1 or tls.handshake.type==2 or tls.handshake.type==11 or tls.handshake.type==12 or tls.handshake.type==13 or tls.handshake.type==15 or tls.alert_message.desc" \
    -T fields -E separator='|' -e frame.number -e tls.record.version -e tls.handshake.type -e tls.handshake.version \
    -e tls.handshake.ciphersuite -e tls.handshake.extensions_server_name \
    -e tls.handshake.sig_hash_alg -e tls.handshake.p_len -e tls.alert_message.desc 2>/dev/null | sed 's/^/  frame|recver|hstype|hsver|suites|sni|sigalgs|dh_p_len|alert: /'
  tshark -r "$f" -Y "tls.handshake.certificate" -T fields -e frame.number -e tls.handshake.certificate 2>/dev/null |
  while IFS=$'\t' read -r fr certs; do
    i=0
    for c in ${certs//,/ }; do
      echo "$c" | xxd -r -p > /tmp/facts.$$.der
      t=$(openssl x509 -inform DER -in /tmp/facts.$$.der -noout -text)
      subj=$(openssl x509 -inform DER -in /tmp/facts.$$.der -noout -subject -nameopt oneline)
      alg=$(echo "$t" | sed -n 's/^ *Public Key Algorithm: //p')
      oid=$(echo "$t" | sed -n 's/^ *ASN1 OID: //p')
      bits=$(echo "$t" | sed -n 's/^ *Public-Key: (\([0-9]*\) bit)/\1/p')
      sig=$(echo "$t" | sed -n 's/^ *Signature Algorithm: //p' | head -1)
      echo "  frame $fr cert[$i] $subj | $alg ${oid} ${bits} | $sig"
      i=$((i+1))
    done
  done
  rm -f /tmp/facts.$$.der
done
