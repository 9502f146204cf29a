#!/bin/sh
# Test kernel for demes that evolve apart: `demes_apart_kernel.sh FLAGS --x=X --y=Y`.
# Deme 0's generation-2 trials create the file FLAGS/deme0_generation2. Deme 1's generation-0
# trials wait for that file (at most 60 s, then fail): they end only if deme 0 got to generation 2
# while they were running. FoM = (x - 0.3)^2 + (y - 2)^2 otherwise.
flags=$1; shift
x=0; y=0
for arg in "$@"; do
  case "$arg" in
    --x=*) x=${arg#--x=} ;;
    --y=*) y=${arg#--y=} ;;
  esac
done
if [ "$HPO_DEME" = 0 ] && [ "$HPO_GENERATION" = 2 ]; then
  touch "$flags/deme0_generation2"
fi
if [ "$HPO_DEME" = 1 ] && [ "$HPO_GENERATION" = 0 ]; then
  waited=0
  while [ ! -e "$flags/deme0_generation2" ]; do
    [ "$waited" -lt 600 ] || { echo "deme 0 never reached generation 2" >&2; exit 1; }
    sleep 0.1
    waited=$((waited + 1))
  done
fi
awk -v x="$x" -v y="$y" 'BEGIN { printf "FoM: %.12g\n", (x - 0.3) ^ 2 + (y - 2) ^ 2 }'
