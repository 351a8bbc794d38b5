#!/usr/bin/env bash
# The Debian package stands on its own: build it with CPack, unpack it (dpkg-deb -x) into a
# temporary root, and run `geosim run`, `geosim report` and `geosim play --script` from there with
# no help from the build or source tree (no GEOSIM_DATA; found beside the program in share/geosim).
#   deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/package" >/dev/null)
deb=$(ls "$work"/package/*.deb)
dpkg-deb --info "$deb" | grep -E "^ (Package|Version|Depends):" 
dpkg-deb -x "$deb" "$work/root"
geosim="$work/root/usr/bin/geosim"
test -x "$geosim"
# Nothing of the build machine's paths in the program.
if grep -q -a -F "$source" "$geosim" || grep -q -a -F "$build" "$geosim"; then
  echo "deb.sh: the packaged program names a path of the build machine" >&2
  exit 1
fi
mkdir "$work/room"
cd "$work/room"
run() { env -i HOME="$work/room" PATH=/usr/bin:/bin "$@"; }
run "$geosim" --version
run "$geosim" run realignment --out run >/dev/null
test -s run/tension.csv
run "$geosim" report realignment --out report.html >/dev/null
grep -q "<html" report.html
grep -q "vegaEmbed" report.html  # the chart libraries came from share/geosim
printf 'move quiet-diplomacy\nstep 9\ninject adhoc "Coast guard standoff" CHN<->VNM tension +0.08\nstep 4\nsave session.json\nreport after-action.html\n' > exercise.txt
run "$geosim" play realignment --script exercise.txt >/dev/null
test -s session.json
grep -q "Coast guard standoff" after-action.html
echo "deb.sh: $(basename "$deb") runs run, report and play from an unpacked root"
