#!/usr/bin/env bash
# `hpo report` hands over to the Python package (issue 17): it finds the package next to the
# program and the interpreter the package is built for, writes the same page and PNGs as
# `python3 -m hpo.report`, names its default output after the checkpoint, reads a run that is
# still going, and says clearly what is missing when the interpreter or matplotlib is.
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.bash"
source "$(dirname "${BASH_SOURCE[0]}")/lib/python.bash"

write_quadratic_kernel ./kernel.sh
hpo_run run --param '--x 0.9 [0.0,1.0]' --param '--y 1 [0.01,10] log' --strategy random --evals 16 \
    --parallel 2 --no-progress --run-dir runs -- ./kernel.sh
expect_rc 0 "the run"

# The same figures through both entry points, byte for byte.
hpo_run report hpo.h5 -o page.html --png figures
expect_rc 0 "hpo report"
expect_grep out.txt "page.html" "hpo report says where the page is"
set +e
"$python" -m hpo.report hpo.h5 -o page2.html --png figures2 > out.txt 2> err.txt
rc=$?
set -e
expect_rc 0 "python3 -m hpo.report"
[[ $(ls figures) == "$(ls figures2)" ]] || fail "other figures: $(ls figures) / $(ls figures2)"
for png in figures/*.png; do
    cmp -s "$png" "figures2/${png#figures/}" || fail "$png differs between hpo report and python3 -m hpo.report"
done
(($(ls figures | wc -l) >= 5)) || fail "fewer than 5 figures: $(ls figures)"
expect_grep page.html "data:image/png;base64," "the page embeds the figures"

# Default output: the checkpoint's name with .html, in the current directory.
mkdir elsewhere
(cd elsewhere && "$HPO_BIN" report ../hpo.h5 > ../out.txt 2> ../err.txt) || { show_output; fail "hpo report ../hpo.h5"; }
[[ -s elsewhere/hpo.html ]] || fail "no elsewhere/hpo.html"

# Installed (`cmake --install`, every component): the program finds the package under its prefix.
cmake --install "$build_dir" --prefix "$work/prefix" > install.log 2>&1 || { cat install.log; fail "cmake --install failed"; }
set +e
env -u PYTHONPATH "$work/prefix/bin/hpo" report hpo.h5 -o installed.html -v > out.txt 2> err.txt
rc=$?
set -e
expect_rc 0 "the installed hpo report"
expect_grep err.txt "the package in $work/prefix/lib/" "the installed program uses the installed package"
[[ -s installed.html ]] || fail "no page from the installed hpo report"
hpo_run report hpo.h5 -o built.html -v
expect_grep err.txt "the package in $build_dir/python" "the build tree's program uses the build tree's package"

# Usage: help, no file, the checkpoint as the output.
hpo_run report --help
expect_rc 0 "hpo report --help"
expect_grep out.txt "usage: hpo report" "the help names the command"
hpo_run report
expect_rc 2 "hpo report without a file"
expect_grep err.txt "usage: hpo report" "the usage line"
sum=$(sha256sum hpo.h5)
hpo_run report hpo.h5 -o hpo.h5
expect_rc 2 "hpo report -o the checkpoint"
expect_grep err.txt "is the checkpoint itself" "the reason"
[[ $(sha256sum hpo.h5) == "$sum" ]] || fail "the checkpoint was overwritten"

# No interpreter: exit 1, saying which and what to do.
rm -f nothing.html
HPO_PYTHON=/nonexistent/python3 hpo_run report hpo.h5 -o nothing.html
expect_rc 1 "hpo report with a missing interpreter"
expect_grep err.txt "hpo: error:" "an error"
expect_grep err.txt "'/nonexistent/python3' cannot be started" "the interpreter named"
expect_grep err.txt "HPO_PYTHON" "the way out"
# No matplotlib (an import of it that fails): exit 1, naming the package to install.
mkdir -p blocked/matplotlib
echo 'raise ImportError("no matplotlib here")' > blocked/matplotlib/__init__.py
PYTHONPATH=$PWD/blocked:$PYTHONPATH hpo_run report hpo.h5 -o nothing.html
expect_rc 1 "hpo report without matplotlib"
expect_grep err.txt "hpo: error: hpo report draws with matplotlib" "the missing package named"
expect_grep err.txt "python3-matplotlib" "the Debian package named"
[[ ! -e nothing.html ]] || fail "a page without matplotlib"

# A run still going: the report of its snapshot so far says it is not finished.
cat > slow.sh << 'KERNEL'
#!/usr/bin/env bash
sleep 0.2
echo "FoM: 1"
KERNEL
chmod +x slow.sh
"$HPO_BIN" run --param '--x 0.9 [0.0,1.0]' --strategy random --evals 400 --parallel 1 --no-progress --quiet \
    --run-dir live-runs --checkpoint live.h5 -- ./slow.sh > live.out 2> live.err &
run_pid=$!
for _ in $(seq 300); do
    trials=$("$HPO_BIN" show live.h5 2> /dev/null | sed -n 's/^trials: \([0-9]*\).*/\1/p' || true)
    [[ -n $trials ]] && ((trials >= 3)) && break
    sleep 0.2
done
[[ -n $trials ]] && ((trials >= 3)) || { kill "$run_pid"; fail "the live run wrote no 3 trials"; }
hpo_run report live.h5 -o live.html
report_rc=$rc
kill -TERM "$run_pid"
set +e
wait "$run_pid"
run_rc=$?
set -e
rc=$report_rc
expect_rc 0 "hpo report of a run still going"
expect_grep live.html "not finished" "the page says the run is not finished"
((run_rc == 3)) || fail "the live run ended with $run_rc, expected 3 (stopped by SIGTERM)"
