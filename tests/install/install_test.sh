#!/usr/bin/env bash
# Installs qtrader into a temporary prefix and uses it as a stranger would:
#  1. builds docs/examples/embed_qtrader.cpp from outside the source tree,
#     once with find_package(qtrader) and once with pkg-config;
#  2. copies the installed tree elsewhere (nothing of the build or source
#     folder is reachable by path) and runs a backtest with the copied
#     command, checking the report has its charts and the scripts came from
#     the copied tree;
#  3. runs both example programs against the copied data folder (QTRADER_HOME);
#  4. imports the installed Python package from the copied tree and runs a backtest.
# A shared build (BUILD_SHARED_LIBS) installs lib/libqtrader_*.so instead of
# the .a files; the copied command and Python module then load the copied
# libraries through their $ORIGIN RUNPATH, with no LD_LIBRARY_PATH, and the
# example programs (linked with no RUNPATH of the copied tree, as an
# application would be) through LD_LIBRARY_PATH.
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1")
source=$(realpath "$2")
work=$(mktemp -d "${TMPDIR:-/tmp}/qtrader-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data-home"
unset QTRADER_HOME LD_LIBRARY_PATH

shared=0
if grep -qiE '^BUILD_SHARED_LIBS:BOOL=(ON|1|TRUE|YES|Y)$' "$build/CMakeCache.txt"; then shared=1; fi
libs_of() {  # the qtrader libraries PROGRAM loads, one path a line
  ldd "$1" | awk '/libqtrader_/ { print $3 }' | xargs -r realpath -s
}

echo "== install into $work/prefix (shared libraries: $shared)"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
if [ "$shared" = 1 ]; then
  for lib in base config engine lua sweep testkit; do
    [ -f "$work/prefix/lib/libqtrader_$lib.so" ] || fail "not installed: lib/libqtrader_$lib.so"
  done
  if compgen -G "$work/prefix/lib/libqtrader_*.a" >/dev/null; then fail "a shared build installed .a files"; fi
  # The build folder's RUNPATH is replaced by one relative to each file.
  runpath=$(readelf -d "$work/prefix/bin/qtrader" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  [ "$runpath" = '$ORIGIN/../lib' ] || fail "bin/qtrader's RUNPATH: '$runpath'"
  runpath=$(readelf -d "$work/prefix/lib/libqtrader_engine.so" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  [ "$runpath" = '$ORIGIN' ] || fail "libqtrader_engine.so's RUNPATH: '$runpath'"
else
  [ -f "$work/prefix/lib/libqtrader_engine.a" ] || fail "not installed: lib/libqtrader_engine.a"
fi
for f in bin/qtrader include/qtrader/engine.hpp include/qtrader/version.hpp \
         lib/cmake/qtrader/qtraderConfig.cmake lib/cmake/qtrader/qtraderConfigVersion.cmake \
         lib/pkgconfig/qtrader.pc share/qtrader/config/system.yaml share/qtrader/strategies/sma_crossover.lua \
         share/qtrader/data/sample/ORCL.csv share/bash-completion/completions/qtrader; do
  [ -e "$work/prefix/$f" ] || fail "not installed: $f"
done

# The consumer's sources: the example only, in a folder of its own.
mkdir -p "$work/consumer"
cp "$source/docs/examples/embed_qtrader.cpp" "$work/consumer/"
cat > "$work/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.21)
project(consumer LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(qtrader 0.2 REQUIRED)
add_executable(embed_qtrader embed_qtrader.cpp)
target_link_libraries(embed_qtrader PRIVATE qtrader::core)
CMAKE

echo "== build the example with find_package(qtrader)"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$work/consumer" -B "$work/consumer/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/consumer/build" >/dev/null

echo "== build the example with pkg-config"
flags=$(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs qtrader)
${CXX:-c++} -std=c++20 -O1 "$work/consumer/embed_qtrader.cpp" -o "$work/consumer/embed_pc" $flags

echo "== move the installed tree"
mv "$work/prefix" "$work/moved"
moved="$work/moved"
"$moved/bin/qtrader" --version | grep -q "^qtrader [0-9]" || fail "--version"
if [ "$shared" = 1 ]; then
  # Every qtrader library of the moved command, itself and transitively, from the moved tree.
  loaded=$(libs_of "$moved/bin/qtrader")
  echo "$loaded" | grep -q "^$moved/lib/libqtrader_engine\.so\." || fail "the moved command loads: $loaded"
  if echo "$loaded" | grep -vx "$moved/lib/libqtrader_[a-z]*\.so\.[0-9.]*"; then
    fail "the moved command loads the libraries above from outside the moved tree"
  fi
fi
# How an application finds the moved shared libraries (none: static).
app_env=()
if [ "$shared" = 1 ]; then app_env=(env LD_LIBRARY_PATH="$moved/lib"); fi

echo "== run a backtest with the moved command"
cd "$work"
results=$("$moved/bin/qtrader" run --quiet --output "$work/out" "$moved/share/qtrader/config/backtests/sma_crossover_orcl.yaml")
[ -f "$results/report.html" ] || fail "no report.html in $results"
grep -q "TradingView Lightweight Charts" "$results/report.html" || fail "report.html has no chart library"
grep -q "LightweightCharts" "$results/report.html" || fail "report.html has no chart code"
grep -q "\"path\": \"$moved/share/qtrader/strategies/sma_crossover.lua\"" "$results/summary.json" ||
  fail "the strategy did not come from the moved tree: $(grep '"path"' "$results/summary.json")"
grep -q '"qtrader_version": "' "$results/summary.json" || fail "no version in summary.json"

echo "== the example programs, with QTRADER_HOME"
# Outside <prefix>/bin and without QTRADER_HOME there is no data folder: an
# error naming QTRADER_HOME (exit 1 from the example's catch), not a crash.
status=0
"${app_env[@]}" "$work/consumer/build/embed_qtrader" "$moved/share/qtrader/config/backtests/sma_crossover_orcl.yaml" \
  "$work/out-none" 2>"$work/err" || status=$?
[ "$status" -eq 1 ] || fail "an application without QTRADER_HOME: exit $status, $(cat "$work/err")"
grep -q "set QTRADER_HOME" "$work/err" || fail "the error does not name QTRADER_HOME: $(cat "$work/err")"
for program in "$work/consumer/build/embed_qtrader" "$work/consumer/embed_pc"; do
  QTRADER_HOME="$moved/share/qtrader" "${app_env[@]}" "$program" \
    "$moved/share/qtrader/config/backtests/sma_crossover_orcl.yaml" "$work/out-embed" >"$work/embed.txt" ||
    fail "$program failed"
  grep -q "^second run: .* trades" "$work/embed.txt" || fail "$program: $(cat "$work/embed.txt")"
done

# 4. The Python package (docs/python.md), when the build made it: imported
#    from the moved tree, it finds the moved data folder by itself.
if grep -q '^QTRADER_PYTHON:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "== the Python package from the moved tree"
  site=$(echo "$moved"/lib/python3*/dist-packages)
  [ -f "$site/qtrader/__init__.py" ] || fail "the Python package is not installed under $moved/lib"
  if [ "$shared" = 1 ]; then
    module=$(echo "$site"/qtrader/_qtrader*.so)
    if libs_of "$module" | grep -vx "$moved/lib/libqtrader_[a-z]*\.so\.[0-9.]*"; then
      fail "the Python module loads the libraries above from outside the moved tree"
    fi
  fi
  PYTHONPATH="$site" /usr/bin/python3 - "$moved" "$work/out-python" <<'PY' || fail "the Python package"
import sys
import qtrader
moved, out = sys.argv[1], sys.argv[2]
r = qtrader.run(f"{moved}/share/qtrader/config/backtests/sma_crossover_orcl.yaml", output_dir=out)
paths = [s["path"] for s in r.summary["scripts"]]
assert f"{moved}/share/qtrader/strategies/sma_crossover.lua" in paths, paths
assert r.summary["trades"] == len(r.trades) > 0
print("python:", len(r.trades), "trades")
PY
fi
echo "PASS"
