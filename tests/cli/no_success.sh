#!/usr/bin/env bash
# A run in which no trial succeeds completes, says so, shows why, and exits 1 (no answer).
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"

cat > broken.sh << 'KERNEL'
#!/usr/bin/env bash
echo "cannot open dataset /nonexistent/data.csv" >&2
exit 3
KERNEL
chmod +x broken.sh

hpo_run run --param '--x 0.5 [0.0,1.0]' --strategy random --evals 4 --no-progress -- ./broken.sh
expect_rc 1 "a run with no successful trial"
expect_grep out.txt "trials: 4 (4 failed)" "the status counts"
expect_grep out.txt "no successful trial" "the summary says so"
expect_grep err.txt "hpo: error: no trial succeeded" "the error line"
expect_grep err.txt "cannot open dataset" "the kernel's stderr is shown"

echo "no successful trial: ok"
