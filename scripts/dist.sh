#!/usr/bin/env bash
# Cross-compiles the distribution that ocb generated and packs one archive
# per platform, plus a SHA-256 checksums file:
#   dist.sh SOURCE_DIR VERSION OUT_DIR os/arch...
# Each platform is compiled once; the Go build cache is shared with
# `make build`, so only what differs per platform is compiled again.
set -euo pipefail
src=$1 version=$2 out=$3
shift 3
go=${GO:-go}
command -v zip >/dev/null 2>&1 || { echo "dist: zip is missing (make deploy-tools installs it)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
for platform in "$@"; do
	os=${platform%/*} arch=${platform#*/}
	name=otelcol-onepassword_${version}_${os}_${arch}
	stage=$out/stage/$name
	exe=otelcol-onepassword
	[ "$os" = windows ] && exe=otelcol-onepassword.exe
	mkdir -p "$stage"
	echo "dist: $platform"
	(cd "$src" && CGO_ENABLED=0 GOOS=$os GOARCH=$arch "$go" build -trimpath -ldflags='-s -w' -o "$stage/$exe" .)
	if [ "$os" = windows ]; then
		(cd "$out/stage" && zip -qr "$out/$name.zip" "$name")
	else
		tar -C "$out/stage" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
	fi
done
rm -rf "$out/stage"
(cd "$out" && sha256sum -- *.tar.gz *.zip >checksums.txt)
echo "dist: $(ls "$out" | tr '\n' ' ')"
