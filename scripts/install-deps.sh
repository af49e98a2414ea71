#!/usr/bin/env bash
# Installs the Debian 12 packages octroi needs to build, run and test, when they are missing.
# Run as root (make does it for you); as another user it only says what is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache make pkg-config  # toolchain
  libsqlite3-dev sqlite3              # embedded store (and its shell, for inspection)
  libpq-dev                           # PostgreSQL client library (adapters/postgres)
  postgresql                          # PostgreSQL server: the tests start a throw-away cluster
  libcli11-dev                        # command line
  nlohmann-json3-dev                  # JSON output (adapters only)
  libsodium-dev                       # SHA-256 of the audit chain, argon2id passwords, tokens
  libboost1.74-dev                    # HTTP transport: Boost.Beast/Asio, header-only (adapters/http/server.cc)
  libcpp-httplib-dev                  # HTTP client of the tests
  libmstch-dev                        # HTML templates of the back office (adapters/http)
  libpugixml-dev libzip-dev           # documents: flat ODT templates filled, .odt packages
  libcsv-dev                          # open data: reading the CSV files imported (adapters/opendata)
  libfreexl-dev                       # imports: .xls workbooks read by cell value (adapters/workbook)
  libxlsxwriter-dev                   # spreadsheets: the lists as .xlsx (adapters/spreadsheet)
  libreoffice-writer-nogui            # documents: ODT -> PDF (soffice --headless)
  libreoffice-calc-nogui              # spreadsheets' tests: LibreOffice opens the .xlsx and reads it back
  poppler-utils unzip                 # documents' tests: pdftotext reads the PDFs back, zipinfo lists a session's .zip
  libcurl4-openssl-dev                # the portal's e-mails: SMTP through libcurl (adapters/mail)
  python3-aiosmtpd                    # tests: the local SMTP sink the portal's e-mails reach
  libmagic-dev                        # files: their type sniffed from the bytes (adapters/files)
  libssl-dev                          # SHA-256 with the processor's SHA extensions (adapters/crypto)
  clamav-daemon                       # files: clamd, the virus scanner (tests start their own, on a signature database of their own)
  libgtest-dev libbenchmark-dev       # tests and benchmarks
  nodejs chromium                     # browser tests (scripts/e2e.sh): node and /usr/bin/chromium
  # (no `npm` here: the machines' nodejs (NodeSource 20) ships npm and conflicts with Debian's npm)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "octroi: missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "octroi: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Without systemd (a container), the packages' scripts would start their services through
# /etc/init.d: clamav-freshclam's daemon among them, left running in the background to reach a
# signature mirror these machines cannot reach. No service is started then: a policy-rc.d that
# denies it, only for this install (unless the system has one already).
if [ ! -d /run/systemd/system ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
