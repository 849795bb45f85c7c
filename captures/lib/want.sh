# Sourced by make.sh scripts that rebuild only the captures named on their command line
# (captures/openssl/make.sh, captures/tls-everywhere/make.sh). The script sets ONLY=("$@") first.
#   want NAME          true when no names were given, or NAME is one of them
#   want_any NAME...   true when want is true for any NAME
want() {
  [ ${#ONLY[@]} -eq 0 ] && return 0
  local n
  for n in "${ONLY[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}
want_any() { local n; for n in "$@"; do want "$n" && return 0; done; return 1; }
