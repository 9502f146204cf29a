# shellcheck shell=bash
# Figures from a run's trial records, for bench/utilization.sh and bench/coordinator_throughput.sh
# (sourced). Input: `hpo export FILE.h5 --format csv` (columns found by name in the header).
#
# trial_stats CSV prints one line:
#   n workers not_ok util_steady util_whole ramp_s mean_kernel_s gap_mean_ms gap_median_ms rate_whole rate_steady
# where, with t_first = the first start, t_all = the moment every worker has started its first
# kernel, t_last = the last start and t_end = the last end:
#   util_steady  sum of each trial's [start, end] clipped to [t_all, t_last] / (workers x (t_last - t_all))
#   util_whole   sum of (end - start) / (workers x (t_end - t_first))
#   ramp_s       t_all - t_first
#   gap_*        a worker's idle time between the end of one kernel and the start of its next,
#                for the next starts inside [t_all, t_last]
#   rate_whole   n / (t_end - t_first) evaluations per second
#   rate_steady  trials started in (t_all, t_last] / (t_last - t_all)
# Rows must be ok trials for the message column (the last) to be empty; not_ok counts the others
# but pruned ones (a pruned trial is a finished evaluation: --prune stopped it on purpose).
trial_stats() {
  local csv=$1 header rows
  header=$(head -1 "$csv")
  col() { tr ',' '\n' <<< "$header" | grep -nx -- "$1" | cut -d: -f1; }
  local cs ce cw cst
  cs=$(col start_time) ce=$(col end_time) cw=$(col worker) cst=$(col status)
  [[ -n $cw ]] || cw=$(col worker_rank)  # exports of hpo before the rename
  [[ -n $cs && -n $ce && -n $cw && -n $cst ]] || { echo "trial_stats: unexpected header in $csv: $header" >&2; return 1; }
  rows=$(mktemp)
  # worker start end status, by worker then start
  tail -n +2 "$csv" | awk -F, -v s="$cs" -v e="$ce" -v w="$cw" -v st="$cst" '{print $w, $s, $e, $st}' |
    sort -k1,1n -k2,2g > "$rows"
  local t_all
  t_all=$(awk '!($1 in first) {first[$1] = $2; if ($2 > t) t = $2} END {printf "%.6f", t}' "$rows")
  local gaps
  gaps=$(awk -v ta="$t_all" 'NR == 1 {tl = $2} {if ($2 > tl) tl = $2; w[NR] = $1; s[NR] = $2; e[NR] = $3; n = NR}
    END {for (i = 1; i < n; ++i) if (w[i + 1] == w[i] && s[i + 1] > ta && s[i + 1] <= tl) print 1e3 * (s[i + 1] - e[i])}' "$rows" |
    sort -g | awk '{a[NR] = $1; sum += $1} END {if (NR == 0) print "0 0"; else printf "%.4f %.4f\n", sum / NR, (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  awk -v ta="$t_all" -v gaps="$gaps" '
    NR == 1 {tf = $2; tl = $2; te = $3}
    {
      if ($2 < tf) tf = $2; if ($2 > tl) tl = $2; if ($3 > te) te = $3
      s[NR] = $2; e[NR] = $3; n = NR
      if (!($1 in seen)) {seen[$1] = 1; workers++}
      if ($4 != "ok" && $4 != "pruned") bad++
    }
    END {
      for (i = 1; i <= n; ++i) {
        busy += e[i] - s[i]
        a = s[i] < ta ? ta : s[i]; b = e[i] > tl ? tl : e[i]
        if (b > a) steady += b - a
        if (s[i] > ta && s[i] <= tl) started++
      }
      span = tl - ta
      util = 0; rate = 0
      if (span > 0) {util = steady / (workers * span); rate = started / span}
      printf "%d %d %d %.6f %.6f %.4f %.5f %s %.3f %.3f\n", n, workers, bad + 0, util,
             busy / (workers * (te - tf)), ta - tf, busy / n, gaps, n / (te - tf), rate
    }' "$rows"
  rm -f "$rows"
}
