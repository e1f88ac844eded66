#!/usr/bin/env bash
# Installs what the deployment checks need and the machine lacks, with
# apt-get (Debian, Ubuntu): a container engine (podman and runc, unless a
# docker daemon answers), promtool (Debian ships it in prometheus), zip
# and the CA bundle. Elsewhere it names what is missing and fails.
set -euo pipefail
need=()
if ! { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }; then
	command -v podman >/dev/null 2>&1 || need+=(podman)
	command -v runc >/dev/null 2>&1 || need+=(runc)
fi
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v zip >/dev/null 2>&1 || need+=(zip)
[ -s /etc/ssl/certs/ca-certificates.crt ] || need+=(ca-certificates)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "missing: ${need[*]} (install them; this script knows only apt-get)" >&2
	exit 1
fi
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing: ${need[*]}"
# Only promtool is wanted from prometheus; on a machine with an init system
# the package also enables a Prometheus server (stop it if unwanted).
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
