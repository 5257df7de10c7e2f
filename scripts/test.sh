#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit tests, integration tests on a real (embedded) PostgreSQL, and
# Playwright end-to-end tests in Chromium. Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { printf '\n=== %s\n' "$1"; }
t0=$SECONDS
stage "lint";              npx eslint . && npx prettier --check --log-level warn .
stage "typecheck";         npx tsc --noEmit -p .
stage "unit tests";        npx vitest run --project unit
stage "integration tests"; npx vitest run --project integration
stage "end-to-end tests";  node --import tsx scripts/e2e.ts
stage "security tests";    npx vitest run --project security
printf '\nall test stages passed in %ss\n' "$((SECONDS - t0))"
