#!/usr/bin/env bash
# Every C++ source of the project (engine, apps, tests, bench; not the fixtures of tests/data/,
# which hold input as a user might write it) formatted as .clang-format says:
# lists those that are not and how to format them; exit 1 if any. Run by the test suite
# (style_clang_format), with Debian 12's clang-format 14, which scripts/install-deps.sh installs.
#   bash scripts/check-format.sh [CLANG_FORMAT]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
format="${1:-clang-format}"
if ! command -v "$format" >/dev/null 2>&1; then
  echo "check-format: '$format' not found (bash scripts/install-deps.sh installs clang-format)" >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' ':(exclude)tests/data')
else  # a source tree without its history
  mapfile -t files < <(find engine apps tests bench -path tests/data -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "check-format: no C++ source found under $root" >&2
  exit 1
fi
status=0
output=$("$format" --dry-run --Werror "${files[@]}" 2>&1) || status=$?
bad=$(echo "$output" | grep -o '^[^:]*\.[ch]pp:[0-9]*:[0-9]*: error' | cut -d: -f1 | sort -u || true)
if [ -n "$bad" ]; then
  echo "check-format: $(echo "$bad" | wc -l) of ${#files[@]} files are not formatted as .clang-format says ($("$format" --version | head -1)):" >&2
  echo "$bad" | sed 's/^/  /' >&2
  echo "check-format: format them with: clang-format -i FILE..." >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then  # a failure that names no file: a bad .clang-format, a crash
  echo "check-format: $format failed (exit $status): $(echo "$output" | head -3)" >&2
  exit 1
fi
echo "check-format: all ${#files[@]} files formatted"
