#!/usr/bin/env bash
# find_package(geosim) works from an installed tree: install the build into a temporary prefix,
# build tests/install/consumer against it, and check that the consumer, linking only the installed
# libraries, computes the same last-step tensions as the installed program.
#   consumer.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/tests/install/consumer" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
scenario="$work/prefix/share/geosim/scenarios/baseline.yaml"
"$work/build/consumer" "$scenario" > "$work/consumer.csv"
(cd "$work" && env -u GEOSIM_DATA -u GEOSIM_SCENARIOS "$work/prefix/bin/geosim" run baseline --out run >/dev/null)
last=$(tail -n 1 "$work/run/tension.csv" | cut -d, -f1)
grep "^$last," "$work/run/tension.csv" | cut -d, -f3- > "$work/program.csv"
test -s "$work/consumer.csv"
if ! diff "$work/program.csv" "$work/consumer.csv"; then
  echo "consumer.sh: the consumer's last-step tensions differ from the installed program's" >&2
  exit 1
fi
echo "consumer.sh: $(wc -l < "$work/consumer.csv") relations agree"
