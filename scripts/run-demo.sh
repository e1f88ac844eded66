#!/usr/bin/env bash
# Runs the distribution against the bundled simulator, so that a new user
# sees records of all three event kinds and the account's users
# (onepassword.user) within a minute, without a token.
set -euo pipefail
dist=$1 sim=$2
work=$(mktemp -d)
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=${SIM_PORT:-8900}

"$sim" -addr "127.0.0.1:$port" -events 200 -rate 2 -token-file "$work/token" \
	-users 50 -users-credentials-file "$work/users" &
sim_pid=$!
for _ in $(seq 100); do [ -s "$work/token" ] && [ -s "$work/users" ] && break; sleep 0.1; done
[ -s "$work/token" ] && [ -s "$work/users" ] || { echo "the simulator did not start" >&2; exit 1; }

OP_EVENTS_API_TOKEN=$(head -n1 "$work/token")
OP_EVENTS_API_ENDPOINT="http://127.0.0.1:$port"
OP_START_TIME=$(date -u -d '-8 days' +%Y-%m-%dT%H:%M:%SZ)
OP_USERS_CLIENT_ID=$(sed -n 1p "$work/users")
OP_USERS_CLIENT_SECRET=$(sed -n 2p "$work/users")
OP_STORAGE_DIR="$work/storage"
mkdir -p "$OP_STORAGE_DIR"
export OP_EVENTS_API_TOKEN OP_EVENTS_API_ENDPOINT OP_START_TIME OP_STORAGE_DIR OP_USERS_CLIENT_ID OP_USERS_CLIENT_SECRET
echo "Simulator on $OP_EVENTS_API_ENDPOINT; starting the collector (Ctrl-C to stop)"
"$dist" --config config/demo.yaml
