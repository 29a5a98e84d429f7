#!/usr/bin/env bash
# Installs every dependency Partita needs from Debian's packages and npm; idempotent and
# quiet when there is nothing to do.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$root/cmake/debian-packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$pkg")
done
# npm ships with the nodejs package on some images and as its own package on others.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# kafkajs goes into a project-local folder (tests/peers/node_modules), pinned by its lock file.
peers="$root/tests/peers"
if [ ! -d "$peers/node_modules/kafkajs" ]; then
  echo "install-deps: installing kafkajs into tests/peers"
  (cd "$peers" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
