#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the C++ sources a change touches: the files of
# engine/, bindings/ and apps/ that differ between BASE and the work tree
# (default: the last commit's parent, HEAD~1 — on a clean clone of main that
# is the change CI checks). Headers are checked through the sources that
# include them (HeaderFilterRegex). Needs build/compile_commands.json.
#   tools/tidy_changed.sh [BASE]        e.g. tools/tidy_changed.sh origin/main
# Exit 0 when every touched file is clean, 1 on a finding, 2 when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD~1}
if ! git rev-parse --verify -q "$base^{commit}" >/dev/null; then
  echo "tidy: $base is not a commit here (a shallow clone?): nothing to compare" >&2
  exit 0
fi
mapfile -t files < <(git diff --name-only --diff-filter=ACMR "$base" -- \
                       'engine/*.cpp' 'bindings/*.cpp' 'apps/*.cpp' 'engine/*.hpp' 'bindings/*.hpp' 'apps/*.hpp')
# A touched header is checked through the sources of its folder.
sources=()
for f in "${files[@]}"; do
  case "$f" in
    *.cpp) sources+=("$f") ;;
    *.hpp) while IFS= read -r s; do sources+=("$s"); done < <(git ls-files "$(dirname "$f")/*.cpp") ;;
  esac
done
mapfile -t sources < <(printf '%s\n' "${sources[@]}" | sort -u | grep -v '^$' || true)
if [ "${#sources[@]}" = 0 ]; then echo "tidy: no C++ source touched since $base"; exit 0; fi
echo "tidy: ${#sources[@]} source(s) touched since $base"
printf '%s\n' "${sources[@]}" | tools/tidy_files.sh
