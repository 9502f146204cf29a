#!/bin/sh
# Test kernel: records where it ran (deme, node, deme communicator) and prints
# FoM = (x - 0.3)^2 + (y - 2)^2 for `--x=X --y=Y`; `--sleep=S` sleeps first.
x=0; y=0; sleep_for=0
for arg in "$@"; do
  case "$arg" in
    --x=*) x=${arg#--x=} ;;
    --y=*) y=${arg#--y=} ;;
    --sleep=*) sleep_for=${arg#--sleep=} ;;
  esac
done
[ "$sleep_for" = 0 ] || sleep "$sleep_for"
echo "$HPO_DEME ${HPO_NODE_NAME:-none} ${HPO_DEME_RANK:-none} ${HPO_DEME_SIZE:-none} $HPO_TRIAL_ID" > placement
awk -v x="$x" -v y="$y" 'BEGIN { printf "FoM: %.12g\n", (x - 0.3) ^ 2 + (y - 2) ^ 2 }'
