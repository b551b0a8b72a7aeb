#!/usr/bin/env bash
# Installs every Debian package nongsan needs to build, run, test and benchmark.
# Idempotent: does nothing when everything is already installed. Run as root
# (or with sudo available). The Makefile calls this when a stamp file is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libboost1.81-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql-15 postgresql-client-15
  nlohmann-json3-dev libsodium-dev libicu-dev
  libvips-dev libqrencode-dev libzint-dev
  libcairo2-dev libpango1.0-dev libxlsxwriter-dev
  libkainjow-mustache-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk chromium
  clang-14 clang-format-14 libclang-rt-14-dev lld-14 libimage-exiftool-perl
  zbar-tools librsvg2-bin
  python3 python3-jsonschema procps iproute2
  # EPCIS schema checks (tests/support/epcis_schema_check.py): jsonschema checks
  # the schema's "uri" format only with rfc3987 (a Recommends, not installed here)
  python3-rfc3987
  # The demo's drawn photos need a font with Vietnamese letters (--no-install-recommends).
  fonts-dejavu-core
  # printing (src/printing): the labels' and catalogues' font, and the
  # independent PDF checkers of its tests
  fonts-noto-core poppler-utils qpdf
  # programme reports: the XLSX read back by openpyxl, the PDF by pdftotext
  python3-openpyxl
  # payments: notification signatures checked with openssl in tests; bench timings
  openssl bc
  libssl-dev  # payment gateways: TLS to VNPay/MoMo (their HMACs are checked with openssl in tests)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "deps: ok"
