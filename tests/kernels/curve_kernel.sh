#!/usr/bin/env bash
# A training kernel with a learning curve known in advance, for the pruning tests: from
# `--x=V`, step n (its n-th FoM line) prints `FoM: V + 8/n`, one step every --pause seconds
# (default 0.03), for --steps steps (default 27). The curves never cross: a trial with a smaller
# x is better at every step, so the rule's decisions can be computed from the x values alone.
x=0 steps=27 pause=0.03
for arg in "$@"; do
    case $arg in
        --x=*) x=${arg#--x=} ;;
        --steps=*) steps=${arg#--steps=} ;;
        --pause=*) pause=${arg#--pause=} ;;
    esac
done
for ((n = 1; n <= steps; n++)); do
    sleep "$pause"
    awk -v x="$x" -v n="$n" 'BEGIN { printf "epoch %d FoM: %.17g\n", n, x + 8 / n }'
done
