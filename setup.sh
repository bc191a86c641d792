#!/usr/bin/env bash
# Installs qtrader's Debian packages, builds it, and runs the sample backtest.
# Usage: ./setup.sh            (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  build-essential cmake ninja-build pkg-config
  libluajit-5.1-dev libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev catch2 libcli11-dev nlohmann-json3-dev
  libhowardhinnant-date-dev tzdata libfast-float-dev libxxhash-dev zlib1g-dev
  libboost-dev  # Boost.Beast + Asio (header-only) for `qtrader serve` (docs/serve.md)
  chromium  # headless, for the report's browser test (tests/report)
  clang-14 libclang-rt-14-dev llvm-14  # ASan/UBSan/TSan and libFuzzer builds (docs/fuzzing.md)
)
# npm installs the report's charting library (package.json); Debian's nodejs
# and npm are used unless a Node.js with npm is already there.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# lightweight-charts, pinned in package-lock.json, into ./node_modules: the
# report inlines it so that report.html opens offline.
npm ci --no-audit --no-fund --loglevel=error

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2

echo "Running the sample backtest (config/backtests/sample.yaml)..."
results=$(./build/apps/qtrader run config/backtests/sample.yaml)
echo "Results: $results"
ls "$results"
