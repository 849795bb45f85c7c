/* The scale reference: a bare libpcap read loop (no decoding at all).
 * Build: gcc -O2 -o pcap_count pcap_count.c -lpcap
 * Usage: pcap_count FILE   -> prints packets, captured bytes, wire bytes */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) { fprintf(stderr, "usage: %s FILE\n", argv[0]); return 2; }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) { fprintf(stderr, "pcap_count: %s\n", err); return 2; }
    struct pcap_pkthdr *h;
    const u_char *data;
    unsigned long long packets = 0, caplen = 0, wirelen = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        packets++;
        caplen += h->caplen;
        wirelen += h->len;
        if (h->caplen) sum += data[h->caplen - 1]; /* touch the packet */
    }
    if (rc == PCAP_ERROR) fprintf(stderr, "pcap_count: %s\n", pcap_geterr(p));
    printf("%llu packets, %llu captured bytes, %llu wire bytes (checksum %llu)\n", packets, caplen, wirelen, sum);
    pcap_close(p);
    return rc == PCAP_ERROR;
}
