#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on every C++ source of engine/, bindings/ and apps/
# (headers through the sources that include them), two at a time. The whole
# tree takes minutes on two cores, so CI checks only what a change touches
# (tidy_changed.sh); run this after changing .clang-tidy or a widely included
# header. Needs build/compile_commands.json.
#   tools/tidy_all.sh
# Exit 0 when the tree is clean, 1 on a finding, 2 when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(git ls-files 'engine/*.cpp' 'bindings/*.cpp' 'apps/*.cpp')
echo "tidy: all ${#sources[@]} sources of engine/, bindings/ and apps/"
printf '%s\n' "${sources[@]}" | tools/tidy_files.sh
