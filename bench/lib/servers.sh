# shellcheck shell=bash
# The kernel servers of the benchmarks (sourced by search_quality.sh, genetic_quality.sh,
# pruning/run.sh and pbt/run.sh): a server imports the heavy modules (scikit-learn, PyTorch) once,
# and each evaluation's kernel program forwards its flags to it.

# wait_for_socket PID SOCKET ERR_FILE SECONDS WHAT: waits until the server PID listens on SOCKET;
# exits 1, showing ERR_FILE, if it dies or is not listening after SECONDS.
wait_for_socket() {
  local pid="$1" socket="$2" err="$3" seconds="$4" what="$5" i
  for ((i = 0; i < seconds * 10; ++i)); do
    [[ -S "$socket" ]] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$what died:" >&2; cat "$err" >&2; exit 1; }
    sleep 0.1
  done
  echo "$what did not start within $seconds s" >&2
  exit 1
}

# start_mlp_server PYTHON QUALITY_DIR WORK_DIR EPOCHS starts bench/quality/mlp_digits_server.py on
# WORK_DIR/mlp.sock, sets MLP_SERVER_PID (the caller kills it on exit), writes the kernel command,
# one word a line, to WORK_DIR/mlp_command, and checks that the server answers exactly what the
# kernel computes on its own (the MLP kernel, bench/quality/mlp_digits_kernel.py: the
# per-evaluation import of scikit-learn would cost more than the training). Exits 1 if the server
# dies, does not start within 60 s, or differs.
start_mlp_server() {
  local py="$1" quality="$2" work="$3" epochs="$4"
  "$py" "$quality/mlp_digits_server.py" "$work/mlp.sock" 2> "$work/server.err" &
  MLP_SERVER_PID=$!
  wait_for_socket "$MLP_SERVER_PID" "$work/mlp.sock" "$work/server.err" 60 "the MLP server"
  printf '%s\n' "$py" "$quality/mlp_digits_kernel.py" "--server=$work/mlp.sock" "--epochs=$epochs" > "$work/mlp_command"
  local probe=(--epochs="$epochs" --lr=0.003 --alpha=0.0001 --hidden=32 --batch=64) direct served
  direct="$("$py" "$quality/mlp_digits_kernel.py" "${probe[@]}")"
  served="$("$py" "$quality/mlp_digits_kernel.py" --server="$work/mlp.sock" "${probe[@]}")"
  [[ "$direct" == "$served" && "$direct" == FoM:* ]] || { echo "MLP kernel: server gives '$served', in-process '$direct'" >&2; exit 1; }
}
