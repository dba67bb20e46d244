#!/usr/bin/env bash
# Installs every Debian package rasid's build and tests need (apt-get), once.
#   bash scripts/setup.sh
set -euo pipefail
PACKAGES=(build-essential cmake pkg-config clang libclang-rt-14-dev
          libicu-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libzstd-dev
          libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev python3
          libcpp-httplib-dev fonts-noto-core chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "== installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) == 0 ]] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
