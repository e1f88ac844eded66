#!/usr/bin/env bash
# Prints the container engine `make image` uses: docker when its daemon
# answers (a docker client without a daemon is common on CI machines), else
# podman when installed. Prints nothing when neither is usable.
set -uo pipefail
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
	echo docker
elif command -v podman >/dev/null 2>&1; then
	echo podman
fi
