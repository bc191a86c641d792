#!/usr/bin/env bash
# Installs qtrader's Debian packages, builds it, and runs the sample backtest.
# Usage: ./setup.sh                      (as root, or with sudo available)
#        ./setup.sh --with-tests         also what the tests need, and builds them
#        ./setup.sh --test-packages-only only install what the tests need
#                                        (tests/run_all.sh calls it when some is missing)
#        ./setup.sh --list-test-packages print those packages' names
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-}
case "$mode" in
  ""|--with-tests|--test-packages-only|--list-test-packages) ;;
  *) echo "usage: $0 [--with-tests|--test-packages-only|--list-test-packages]" >&2; exit 2;;
esac

# To build and run qtrader (and embed it, and use it from Python).
build_packages=(
  build-essential cmake ninja-build pkg-config
  libluajit-5.1-dev libyaml-cpp-dev libsqlitecpp-dev libsqlite3-dev sqlite3
  libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libhowardhinnant-date-dev tzdata libfast-float-dev libxxhash-dev zlib1g-dev
  pybind11-dev python3-dev  # the Python package (docs/python.md)
  openmpi-bin libopenmpi-dev  # MPI sweeps (docs/cluster.md)
  libboost-dev  # Boost.Beast + Asio (header-only) for `qtrader serve` (docs/serve.md)
  libquickfix-dev  # FIX 4.4 sessions for live trading (docs/fix.md)
  libvalijson-dev  # validates events against contracts/ in C++ (header-only; docs/contracts.md)
  libeigen3-dev  # ctx:optimize's solvers (header-only; docs/lua-api.md)
)
# Only to test it (the README's test command installs them when missing).
test_packages=(
  catch2
  chromium  # headless, for the report's and the web app's browser tests
  python3-pytest python3-pandas  # the Python package's tests; pandas for Result.to_pandas()
  python3-jsonschema  # validates exported events against contracts/ (tests/contracts)
  clang-14 libclang-rt-14-dev llvm-14  # ASan/UBSan/TSan and libFuzzer builds (docs/fuzzing.md)
  clang-tidy-14  # .clang-tidy on the files a change touches (tools/tidy_changed.sh)
  slurmctld slurmd slurm-client munge  # a one-node Slurm for the job-array test (tests/sweep/slurm_array_test.cpp)
)
if [ "$mode" = --list-test-packages ]; then echo "${test_packages[@]}"; exit 0; fi
case "$mode" in
  --with-tests) packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  --test-packages-only) packages=("${test_packages[@]}") ;;
  *) packages=("${build_packages[@]}") ;;
esac
# npm installs the report's charting library (package.json); Debian's nodejs
# and npm are used unless a Node.js with npm is already there.
if [ "$mode" != --test-packages-only ] && ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
if [ "$mode" = --test-packages-only ]; then exit 0; fi

# lightweight-charts, pinned in package-lock.json, into ./node_modules: the
# report inlines it so that report.html opens offline.
npm ci --no-audit --no-fund --loglevel=error

# -g1: line tables only -- backtraces still name file and line, and the cold
# build is about a quarter faster than with full debug information (-g).
# Developers who want locals in a debugger configure their own tree with -g.
# The tests are built by --with-tests or by the test command (tests/run_all.sh).
tests=OFF
if [ "$mode" = --with-tests ]; then tests=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DQTRADER_BUILD_TESTS=$tests >/dev/null
cmake --build build -j2

# `qtrader` on PATH: a link to the built command (it finds its data folder
# through the link, qtrader/data_home.hpp).
if [ "$(id -u)" -eq 0 ]; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
mkdir -p "$bindir" && ln -sf "$PWD/build/apps/qtrader" "$bindir/qtrader"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: add $bindir to PATH to run qtrader by name";; esac

echo "Running the sample backtest (config/backtests/sample.yaml)..."
results=$(./build/apps/qtrader run config/backtests/sample.yaml)
echo "Results: $results"
ls "$results"
