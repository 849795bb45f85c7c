# Sourced by scripts/setup.sh and scripts/setup-bench.sh.
# install_missing PKG...: apt-installs the Debian packages not installed yet
# (sudo when not root; nothing at all when every one is there).
install_missing() {
    local need=() pkg sudo=""
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    [ ${#need[@]} -gt 0 ] || return 0
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # tshark asks whether non-root users may capture: no.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}
