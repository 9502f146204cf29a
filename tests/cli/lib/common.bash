# Shared by the tests/cli/*.sh tests (sourced; not itself a test): a scratch directory, running
# hpo with its output captured, assertions that fail loudly, and small inline kernels.
set -euo pipefail

: "${HPO_BIN:?HPO_BIN must name the hpo binary (ctest sets it)}"
HPO_BIN=$(realpath "$HPO_BIN")

work=$(mktemp -d "${TMPDIR:-/tmp}/hpo-cli-test.XXXXXX")
# Kept when a test fails, so that the trial directories can be inspected.
trap 'status=$?; if ((status == 0)); then rm -rf "$work"; else echo "test files kept in $work" >&2; fi' EXIT
cd "$work"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# hpo_run ARGS...: runs hpo, stdout in out.txt, stderr in err.txt, exit status in $rc.
hpo_run() {
    set +e
    "$HPO_BIN" "$@" > out.txt 2> err.txt
    rc=$?
    set -e
}

show_output() {
    echo "--- stdout:" >&2
    cat out.txt >&2
    echo "--- stderr:" >&2
    cat err.txt >&2
}

# expect_rc CODE WHAT
expect_rc() {
    if [[ $rc != "$1" ]]; then
        show_output
        fail "$2: exit status $rc, expected $1"
    fi
}

# expect_grep FILE PATTERN WHAT (fixed string)
expect_grep() {
    if ! grep -qF -- "$2" "$1"; then
        show_output
        fail "$3: '$2' not found in $1"
    fi
}

# The value after `best FoM: ` on stdout.
best_fom() { sed -n 's/^best FoM: //p' out.txt; }

# a <= b for floating-point numbers.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# A kernel whose FoM is (x-0.3)^2 + (y-2)^2 from `--x=..`/`--y=..` or `--x ..`/`--y ..`.
write_quadratic_kernel() {
    cat > "$1" << 'KERNEL'
#!/usr/bin/env bash
x=0 y=0
while (($#)); do
    case $1 in
        --x=*) x=${1#--x=} ;;
        --y=*) y=${1#--y=} ;;
        --x) x=$2; shift ;;
        --y) y=$2; shift ;;
    esac
    shift
done
awk -v x="$x" -v y="$y" 'BEGIN { printf "FoM: %.9e\n", (x - 0.3) ^ 2 + (y - 2) ^ 2 }'
KERNEL
    chmod +x "$1"
}

# A kernel that writes its argv, one element per line, to argv.txt in its working directory
# (its trial directory) and prints the value of its --x (either arg style) as its FoM, 0 without.
write_argv_kernel() {
    cat > "$1" << 'KERNEL'
#!/usr/bin/env bash
printf '%s\n' "$@" > argv.txt
fom=0
while (($#)); do
    case $1 in
        --x=*) fom=${1#--x=} ;;
        --x) fom=$2; shift ;;
    esac
    shift
done
echo "FoM: $fom"
KERNEL
    chmod +x "$1"
}
