#!/bin/bash
# Writes the HTML reports of every shipped scenario (alone, with --runs 50, with a policy) and a
# tabletop after-action report with two geosim programs, each in its own folder, and diffs them.
# Only the scenario's path may differ (it names the build folder). Used to check that a change to
# the report's layout code leaves the pages byte-identical.
# Usage: scripts/compare-reports.sh OLD_GEOSIM NEW_GEOSIM WORK_DIR
set -euo pipefail
old=$1 new=$2 work=$3
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work" && mkdir -p "$work/old" "$work/new"
sed -n '/<!-- file: exercise.txt -->/,/^```$/p' "$here/docs/facilitator.md" | sed '1,2d;$d' > "$work/exercise.txt"
for side in old new; do
  bin=${!side}
  cd "$work/$side"
  for s in $(ls "$here"/scenarios/*.yaml | grep -v /actors.yaml); do
    name=$(basename "$s" .yaml)
    "$bin" report "$name" --out "$name.html" > /dev/null 2>&1 || echo "$side: report $name failed"
    "$bin" report "$name" --runs 50 --out "$name-runs50.html" > /dev/null 2>&1 || echo "$side: $name --runs 50 failed"
    "$bin" report "$name" --policy quiet-diplomacy --out "$name-policy.html" > /dev/null 2>&1 || true
  done
  "$bin" report realignment --runs 30 --policy quiet-diplomacy --parameter-sd 0.1 --out realignment-paired.html > /dev/null 2>&1
  "$bin" report baseline --steps 0 --out baseline-steps0.html > /dev/null 2>&1
  "$bin" report realignment --graphviz none --out realignment-nographviz.html > /dev/null 2>&1
  GEOSIM_JS_DIR=/nonexistent "$bin" report realignment --out realignment-nojs.html > /dev/null 2>&1
  cp "$work/exercise.txt" . && "$bin" play realignment --script exercise.txt > play.txt 2>&1 || true
  printf '%s\n' 'step 3' 'branch what-if' 'inject adhoc "A <b>&amp; \x27quoted\x27 https://x" USA->VNM tension +0.04' \
    'move quiet-diplomacy' 'inject us-pushback' 'step 2' 'inject hedging-abandoned' 'report branch.html' > branch.txt
  "$bin" play realignment --script branch.txt > play-branch.txt 2>&1 || true
  rm -f exercise.json exercise.txt branch.txt
done
cd "$work"
# The scenario path names the build folder of each program: made the same before comparing.
status=0
for f in old/*; do
  b=$(basename "$f")
  if ! diff -q <(sed -E 's#[^ <>(`]*/scenarios/#SCEN/#g' "$f") \
               <(sed -E 's#[^ <>(`]*/scenarios/#SCEN/#g' "new/$b") > /dev/null; then
    echo "DIFFERS: $b"; status=1
  fi
done
echo "compared $(ls old | wc -l) files"
exit $status
