#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the C++ sources named on standard input, one a
# line, two at a time; used by tidy_changed.sh and tidy_all.sh. Needs
# build/compile_commands.json.
# Exit 0 when every file is clean, 1 on a finding, 2 when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then echo "tidy: no clang-tidy (Debian's clang-tidy-14)" >&2; exit 2; fi
if [ ! -f build/compile_commands.json ]; then echo "tidy: no build/compile_commands.json (configure build/ first)" >&2; exit 2; fi
# Each prints only its findings (clang-tidy's own exit status is not the
# verdict: a finding in any file of a batch fails it).
findings=$(xargs -P2 -n4 "$tidy" -p build --quiet 2>/dev/null | grep -E "(warning|error):" || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "tidy: findings above (.clang-tidy)" >&2
  exit 1
fi
echo "tidy: clean"
