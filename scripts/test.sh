#!/usr/bin/env bash
# `npm test`: find what the machine provides (scripts/dev-env.sh), type-check, build dist/ (the
# benchmarks' smoke tests run the compiled bin), then run every test tier.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/dev-env.sh
npx --no-install tsc --noEmit -p tsconfig.json
npm run --silent build
exec npx --no-install vitest run "$@"
