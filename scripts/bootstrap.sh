#!/usr/bin/env bash
# Installs every Debian package fanzha needs to build, test and run. Idempotent, and silent
# when everything is already present. Nothing may depend on anything installed by hand: when
# a subsystem needs a new package, add it here.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential g++ clang lld cmake ninja-build ccache pkg-config git
  clang-format clang-tidy libclang-rt-14-dev
  # libraries
  libabsl-dev libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libsimdjson-dev libsqlite3-dev libsqlitecpp-dev zlib1g-dev libzstd-dev
  libphonenumber-dev libicu-dev libprotobuf-dev protobuf-compiler libidn2-dev libpsl-dev
  libvectorscan-dev libboost-dev libsodium-dev libpqxx-dev
  # http: TLS for the server and client; the openssl CLI makes the tests' certificates
  libssl-dev openssl
  # workflow store: PostgreSQL 15 server binaries for the store tests (started by the tests)
  postgresql
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev sqlite3 time
  # web console (web/): build with Node; browser tests drive Debian's Chromium headless
  # (a CJK font so screenshots show Chinese, not boxes)
  nodejs chromium fonts-wqy-microhei
)
# Debian's nodejs ships npm separately; NodeSource's nodejs bundles it and conflicts with the
# npm package, so ask for npm only when there is no npm at all.
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "bootstrap: installing ${#missing[@]} Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done"
