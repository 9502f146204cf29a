#!/usr/bin/env bash
# A choice value holding spaces, `;`, `$( )` and `*` reaches the kernel as one literal argv
# element: no shell ever sees it. The summary prints it quoted, ready to paste into a shell.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > kernel.sh << 'KERNEL'
#!/usr/bin/env bash
printf '%s\n' "$@" > argv.txt
# The awkward value is the best (FoM 0); anything else scores 1.
fom=1
for arg in "$@"; do
    if [[ $arg == '--c=a b;touch pwned' || $arg == 'a b;touch pwned' ]]; then fom=0; fi
done
echo "FoM: $fom"
KERNEL
chmod +x kernel.sh

spec='--c plain {plain,a b;touch pwned,$(touch pwned2) *}'
hpo_run run --param "$spec" --strategy grid --no-progress --run-dir runs -- ./kernel.sh
expect_rc 0 "grid over awkward choices"
grep -qE '^trials: ([0-9]+) \(\1 ok\)$' out.txt || { show_output; fail "not every trial ok"; }
for wanted in '--c=plain' '--c=a b;touch pwned' '--c=$(touch pwned2) *'; do
    found=0
    for f in runs/*/argv.txt; do
        if [[ $(wc -l < "$f") == 1 && $(cat "$f") == "$wanted" ]]; then found=1; fi
    done
    ((found)) || fail "no trial received exactly one argument '$wanted'"
done
[[ -z $(find . -name 'pwned*') ]] || fail "a shell interpreted a hyperparameter value"
expect_grep out.txt "best parameters: '--c=a b;touch pwned'" "the best value is shell-quoted"

# Space style: the value is one element of its own.
hpo_run run --param "$spec" --strategy grid --arg-style space --no-progress --run-dir space --checkpoint space.h5 \
    -- ./kernel.sh
expect_rc 0 "space style over awkward choices"
found=0
for f in space/*/argv.txt; do
    mapfile -t argv < "$f"
    if ((${#argv[@]} == 2)) && [[ ${argv[0]} == "--c" && ${argv[1]} == 'a b;touch pwned' ]]; then found=1; fi
done
((found)) || fail "space style: no trial received '--c' 'a b;touch pwned' as two elements"
[[ -z $(find . -name 'pwned*') ]] || fail "a shell interpreted a hyperparameter value"

echo "choice literal: ok"
