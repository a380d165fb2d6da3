#!/usr/bin/env bash
# One command on a fresh machine: installs what the demo needs, then runs `npm start`
# (collector on embedded DuckDB, the example media server, a simulated fleet).
# Arguments are passed on: scripts/start.sh --media ~/Videos
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ffprobe >/dev/null 2>&1; then
  # ffmpeg/ffprobe read media metadata and generate the sample media.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null
  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null
  else echo "start: ffmpeg is needed (apt-get install ffmpeg)" >&2; exit 1; fi
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# exec, so that Ctrl-C and SIGTERM reach the demo process itself.
exec node examples/media-server/scripts/npm-start.mjs "$@"
