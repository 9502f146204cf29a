#!/usr/bin/env bash
# What hpo prints of a command reads back, in a real POSIX shell, as the words the kernel got:
# the log's `kernel:` line and the summary's `best parameters:` line, pasted after `set --`,
# give the best trial's argv exactly, whatever quotes, backslashes, `$`, newlines or non-ASCII
# bytes its words hold (the log once wrote `it's` as 'it's', which no shell reads).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

[[ -x /bin/sh ]] || { echo "no /bin/sh: nothing to read the quoting back with; skipped"; exit 0; }
write_argv_kernel ./kernel.sh

nasty=("" "two words" "it's" "'" "\"double\"" 'back\slash' 'trailing\' '$HOME' '`date`' '$(touch pwned)'
       'a;b&c|d' $'line\nbreak' $'tab\there' '*?[a]' '~user' '#comment' $'caf\xc3\xa9 \xe2\x82\xac' '{a,b}')
# One trial, at the default point, which is then the best: its argv is the command and the best
# parameters. The choice value holds a quote, `$`, a backslash and spaces.
hpo_run run --param '--x 0.5 [0.0,1.0]' --param $'--c "it\'s $HOME \\\\x" {"it\'s $HOME \\\\x",b}' \
    --strategy random --evals 1 --no-progress --log run.log --run-dir runs -- ./kernel.sh "${nasty[@]}"
expect_rc 0 "a run with awkward words in its command"
[[ -f runs/0/argv.txt ]] || { show_output; fail "trial 0 left no argv.txt"; }

# The kernel line may span lines (a word holds a newline): everything up to `fom prefix:`.
kernel_line=$(sed -n '/^kernel: /,/^fom prefix: /p' run.log | sed '$d')
kernel_line=${kernel_line#kernel: }
best_line=$(sed -n 's/^best parameters: //p' out.txt)
[[ -n $kernel_line && -n $best_line ]] || { show_output; cat run.log >&2; fail "no kernel or best parameters line"; }

# The shell's words, after the program, printed as the kernel printed its own argv.
/bin/sh -c 'eval "set -- $1 $2"; shift; printf "%s\n" "$@"' sh "$kernel_line" "$best_line" \
    > from_shell.txt
if ! cmp -s from_shell.txt runs/0/argv.txt; then
    echo "--- the kernel's argv:" >&2
    cat -A runs/0/argv.txt >&2
    echo "--- read back by /bin/sh from: kernel: $kernel_line / best parameters: $best_line" >&2
    cat -A from_shell.txt >&2
    fail "the printed command does not read back as the kernel's argv"
fi
[[ -z $(find . -name 'pwned*') ]] || fail "a shell ran a word hpo printed"
echo "shell quoting: ok (${#nasty[@]} awkward words read back by /bin/sh)"
