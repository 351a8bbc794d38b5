#!/bin/sh
# Regenerates the screenshots of the live page in docs/images/ (docs/live-page.md):
# runs the browser test (tests/apps/test_room_browser.cpp, headless Chromium), which writes
# them to BUILD/tests/room-screenshots/, and copies those the guide shows.
# Usage: scripts/update-doc-screenshots.sh [BUILD]   (default build/ci, built with its tests)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build/ci}
shots="$build/tests/room-screenshots"
(cd "$build/tests" && ./test_room_browser --gtest_brief=1)
for pair in room-1.png:room-view.png team-SGP.png:team-view.png charts-busy.png:charts-view.png \
            room-busy.png:room-busy.png; do
  cp "$shots/${pair%%:*}" "docs/images/${pair#*:}"
  echo "docs/images/${pair#*:} <- $shots/${pair%%:*}"
done
