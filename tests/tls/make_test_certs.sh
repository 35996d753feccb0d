#!/usr/bin/env bash
# Throwaway test-only PKI for the TLS tests: a CA, a server certificate for
# 127.0.0.1 and localhost, and a client certificate, all signed by the CA,
# plus a second CA that signed nothing (a client trusting it must fail).
# Usage: make_test_certs.sh DIR   (writes DIR/{ca,other_ca,server,client}.{pem,key})
set -euo pipefail
dir=${1:?usage: make_test_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
quiet() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; }
for ca in ca other_ca; do
  quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=pathwise test $ca" \
    -keyout "$ca.key" -out "$ca.pem"
done
sign() {  # name subject extensions
  quiet openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$2" -keyout "$1.key" -out "$1.csr"
  printf '%s\n' "$3" >"$1.ext"
  quiet openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem"
  rm -f "$1.csr" "$1.ext"
}
sign server "/CN=localhost" "subjectAltName=IP:127.0.0.1,DNS:localhost
extendedKeyUsage=serverAuth"
sign client "/CN=pathwise test client" "extendedKeyUsage=clientAuth"
