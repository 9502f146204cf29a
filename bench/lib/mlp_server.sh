# shellcheck shell=bash
# The MLP kernel's server, for the search-quality benchmarks (sourced by search_quality.sh and
# genetic_quality.sh). The MLP kernel (bench/quality/mlp_digits_kernel.py) forwards its flags to a
# server that has scikit-learn loaded: the per-evaluation import would cost more than the training.
#
# start_mlp_server PYTHON QUALITY_DIR WORK_DIR EPOCHS starts bench/quality/mlp_digits_server.py on
# WORK_DIR/mlp.sock, sets MLP_SERVER_PID (the caller kills it on exit), writes the kernel command,
# one word a line, to WORK_DIR/mlp_command, and checks that the server answers exactly what the
# kernel computes on its own. Exits 1 if the server dies, does not start within 60 s, or differs.
start_mlp_server() {
  local py="$1" quality="$2" work="$3" epochs="$4" i
  "$py" "$quality/mlp_digits_server.py" "$work/mlp.sock" 2> "$work/server.err" &
  MLP_SERVER_PID=$!
  for ((i = 0; i < 600; ++i)); do
    [[ -S "$work/mlp.sock" ]] && break
    kill -0 "$MLP_SERVER_PID" 2>/dev/null || { echo "the MLP server died:" >&2; cat "$work/server.err" >&2; exit 1; }
    sleep 0.1
  done
  [[ -S "$work/mlp.sock" ]] || { echo "the MLP server did not start within 60 s" >&2; exit 1; }
  printf '%s\n' "$py" "$quality/mlp_digits_kernel.py" "--server=$work/mlp.sock" "--epochs=$epochs" > "$work/mlp_command"
  local probe=(--epochs="$epochs" --lr=0.003 --alpha=0.0001 --hidden=32 --batch=64) direct served
  direct="$("$py" "$quality/mlp_digits_kernel.py" "${probe[@]}")"
  served="$("$py" "$quality/mlp_digits_kernel.py" --server="$work/mlp.sock" "${probe[@]}")"
  [[ "$direct" == "$served" && "$direct" == FoM:* ]] || { echo "MLP kernel: server gives '$served', in-process '$direct'" >&2; exit 1; }
}
