#!/usr/bin/env bash
# Issue 12, item 4: how a checkpoint takes damage. Runs tests/cli/bit_flips.sh (a real 60-trial
# run's checkpoint; `hpo show` and `hpo export --format json` on copies with one bit flipped or
# one 4 KiB page zeroed) with more cases than the test suite's 200 flips and 40 pages, and prints
# the figure: "N flips tried, D detected, H harmless (same output), 0 silent". Any silent case fails.
#
# usage: bench/bit_flips.sh [--flips N] [--pages P|-1 for every page] [--seed S] [--build-dir DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
BUILD="$repo/build"
FLIPS=1000 PAGES=-1 SEED=12
while [[ $# -gt 0 ]]; do
  case "$1" in
    --flips) FLIPS="$2"; shift ;;
    --pages) PAGES="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --build-dir) BUILD="$2"; shift ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
[[ -x $BUILD/bin/hpo ]] || cmake --build "$BUILD" --target hpo_cli >&2
HPO_BIN="$BUILD/bin/hpo" HPO_SOURCE_DIR="$repo" HPO_FLIPS=$FLIPS HPO_PAGES=$PAGES HPO_FLIP_SEED=$SEED \
    bash "$repo/tests/cli/bit_flips.sh"
