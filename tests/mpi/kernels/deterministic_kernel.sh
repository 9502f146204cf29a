#!/bin/sh
# Test kernel: FoM = (x - 0.3)^2 + (y - 2)^2 + (z - 1)^2 from `--x=X --y=Y --z=Z`, after a short
# pause that varies with the values (so results arrive out of order), deterministic otherwise.
x=0; y=0; z=0
for arg in "$@"; do
  case "$arg" in
    --x=*) x=${arg#--x=} ;;
    --y=*) y=${arg#--y=} ;;
    --z=*) z=${arg#--z=} ;;
  esac
done
sleep "$(awk -v x="$x" 'BEGIN { printf "%.3f", 0.02 + 0.1 * x }')"
awk -v x="$x" -v y="$y" -v z="$z" 'BEGIN { printf "FoM: %.17g\n", (x - 0.3) ^ 2 + (y - 2) ^ 2 + (z - 1) ^ 2 }'
