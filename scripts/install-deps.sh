#!/usr/bin/env bash
# Installs what geosim needs from Debian 12's packages, and only what is missing, then the
# JavaScript chart libraries of `geosim report` (vega, vega-lite, vega-embed), the live page's
# network library (cytoscape), puppeteer-core (the browser tests) and the YAML test suite (the
# loader's tests and fuzz corpus), at the versions pinned in package-lock.json, into
# node_modules/ with npm.
# Safe to run again: it does nothing when everything is present.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libeigen3-dev libspectra-dev libyaml-cpp-dev libboost-graph-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev nlohmann-json3-dev zlib1g-dev
  libcpp-httplib-dev libkainjow-mustache-dev libedit-dev
  libboost-mpi-dev libopenmpi-dev openmpi-bin
  iso-codes tzdata
  graphviz python3-numpy
  dpkg-dev file
  clang libclang-rt-14-dev clang-format
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# npm installs the chart libraries: Debian's npm (with its Node.js) when there is no npm at all.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The chart libraries, unless node_modules/ already has every pinned version.
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-deps: no npm: HTML reports will have their tables but no charts" >&2
elif node -e '
  const fs = require("fs"), path = require("path"), root = process.argv[1];
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json")));
  const pinned = {...pkg.dependencies, ...pkg.devDependencies};
  for (const [name, version] of Object.entries(pinned)) {
    const file = path.join(root, "node_modules", name, "package.json");
    if (!fs.existsSync(file) || JSON.parse(fs.readFileSync(file)).version !== version) process.exit(1);
  }' "$root"; then
  echo "install-deps: chart libraries present" >&2
else
  echo "install-deps: installing the chart libraries (npm ci)" >&2
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund) >&2
fi
