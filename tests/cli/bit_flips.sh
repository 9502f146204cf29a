#!/usr/bin/env bash
# Damage is an error, never data: copies of a real checkpoint with a single bit flipped (200,
# seeded, spread over the file) or a 4 KiB page zeroed are read by `hpo show` and `hpo export`;
# each either prints exactly what the intact file prints or fails with exit 2 naming the file,
# and no copy is modified. Zero silent differences. (bench/bit_flips.sh runs more of them.)
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

python=${HPO_PYTHON:-python3}
# A kernel that fails now and then with a message on stderr, so that the file holds text too.
cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
x=0
for a; do case $a in --x=*) x=${a#--x=} ;; esac; done
if awk -v x="$x" 'BEGIN { exit !(x > 0.8) }'; then echo "x=$x is too large" >&2; exit 3; fi
echo "FoM: $x"
KERNEL
chmod +x kernel.sh
hpo_run run --param '--x 0.5 [0.0,1.0]' --param '--n 3 [1,9]' --param '--opt adam {adam,sgd,rms}' \
    --strategy random --evals 60 --seed 7 --no-progress --run-dir runs --checkpoint good.h5 -- ./kernel.sh
expect_rc 0 "the run that writes the checkpoint"

set +e
"$python" "$HPO_SOURCE_DIR/tests/cli/lib/bit_flips.py" "$HPO_BIN" good.h5 cases \
    --flips "${HPO_FLIPS:-200}" --pages "${HPO_PAGES:-40}" --seed "${HPO_FLIP_SEED:-1}" --jobs 3 > figure.txt
rc=$?
set -e
cat figure.txt
((rc == 0)) || fail "a damaged checkpoint was read without an error (cases kept in $work/cases)"
grep -q "^${HPO_FLIPS:-200} single-bit flips tried: [1-9]" figure.txt || fail "no flip was detected at all"
echo "bit flips: ok"
