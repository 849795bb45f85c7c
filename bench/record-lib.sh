# Shared by bench/make-corpus.sh and bench/make-plaintext.sh (sourced, not run):
# recording real loopback traffic inside a private network namespace so the
# packets look like an Ethernet capture, and reporting what tcpdump and the
# clients said. Each script sets WORK (its scratch directory) before calling.

# Inside the namespace: loopback with a 1500-byte MTU and GSO/GRO capped at
# 1500 (Ethernet-sized packets), client ports pinned to 47500-47999.
ethernet_like_loopback() {
    ip link set lo up mtu 1500
    ip link set lo gso_max_size 1500 gro_max_size 1500 2>/dev/null || true
    sysctl -q -w net.ipv4.ip_local_port_range="47500 47999"
}

# Waits (up to 5 s each) until every given 127.0.0.1 port accepts connections.
wait_for_ports() {
    local port
    for port in "$@"; do
        for _ in $(seq 50); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.1
        done
    done
}

# Starts tcpdump on lo for ports 47000-47999 into $WORK/seed.pcap.tmp (PID in
# TCPDUMP). Called after the readiness probes, so they are not recorded. A
# 128 MiB buffer holds a whole session; no --immediate-mode: on a small VM it
# makes the kernel drop packets under bulk load.
start_recording() {
    tcpdump -i lo -B 131072 -U -w "$WORK/seed.pcap.tmp" \
        '(tcp or udp) and portrange 47000-47999' 2>"$WORK/tcpdump.err" &
    TCPDUMP=$!
    sleep 1.5
}

stop_recording() {
    sleep 1
    kill -INT "$TCPDUMP"; wait "$TCPDUMP" || true
}

# Runs SCRIPT --inside 1 in a fresh network namespace, or --inside 0 on the
# host loopback when namespaces are not available (not root).
record_in_namespace() {  # tag script
    local tag=$1 script=$2
    NS="wc$tag$$"
    trap 'ip netns del "$NS" 2>/dev/null || true' EXIT
    if ip netns add "$NS" 2>/dev/null; then
        echo "$tag: recording in network namespace $NS (loopback, MTU 1500)"
        ip netns exec "$NS" bash "$script" --inside 1
    else
        echo "$tag: WARNING: cannot create a network namespace (not root?); recording on the host loopback (MTU 64 KiB)" >&2
        bash "$script" --inside 0
    fi
}

# What tcpdump captured and dropped, and how many client runs failed ($WORK/fails).
report_recording() {  # tag
    local tag=$1 fails
    grep -E 'captured|dropped' "$WORK/tcpdump.err" || true
    if grep -qE '^[1-9][0-9]* packets dropped by kernel' "$WORK/tcpdump.err"; then
        echo "$tag: WARNING: tcpdump dropped packets (see above); the seed has gaps" >&2
    fi
    fails=$(cat "$WORK/fails")
    [ "$fails" = 0 ] || echo "$tag: WARNING: $fails client runs failed; see $WORK/clients.err" >&2
}
