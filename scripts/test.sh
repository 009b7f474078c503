#!/usr/bin/env bash
# `npm test`: find what the machine provides (scripts/dev-env.sh), then run every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/dev-env.sh
exec npx --no-install vitest run "$@"
