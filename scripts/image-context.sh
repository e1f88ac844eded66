#!/usr/bin/env bash
# Lays out the build context of the Dockerfile:
#   image-context.sh BINARY CONFIG CA_BUNDLE CONTEXT_DIR
# BINARY must be a static linux executable (CGO_ENABLED=0): the image is
# FROM scratch, so there is no libc to link against.
set -euo pipefail
bin=$1 config=$2 ca=$3 ctx=$4
[ -s "$ca" ] || { echo "image-context: no CA bundle at $ca (install ca-certificates, or set CA_BUNDLE)" >&2; exit 1; }
rm -rf "$ctx"
mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/etc/otelcol-onepassword" "$ctx/state"
install -m 0755 "$bin" "$ctx/rootfs/otelcol-onepassword"
install -m 0644 "$ca" "$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
install -m 0644 "$config" "$ctx/rootfs/etc/otelcol-onepassword/config.yaml"
# A named user, so that tools inside and outside the container show who runs
# the collector; uid 10001 is outside the usual host ranges.
printf 'root:x:0:0:root:/:/sbin/nologin\notelcol:x:10001:10001:otelcol-onepassword:/var/lib/otelcol-onepassword:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\notelcol:x:10001:\n' >"$ctx/rootfs/etc/group"
chmod 0644 "$ctx/rootfs/etc/passwd" "$ctx/rootfs/etc/group"
