"""The command-line side of a pruning kernel: trains in this process, or with --server=SOCKET
asks stream_server.py to, and prints each epoch's `FoM: <value>` line as soon as it is known
(flushed: hpo and the Optuna harness decide on it while the kernel goes on)."""
import socket
import sys


def stream_from_server(path, kernel, args):
    """Yields the server's lines for this request; raises RuntimeError on an `error:` line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        s.sendall("\0".join([kernel] + args).encode())
        s.shutdown(socket.SHUT_WR)
        for line in s.makefile("r", encoding="utf-8"):
            if line.startswith("error: "):
                raise RuntimeError(line[7:].strip())
            yield line.rstrip("\n")


def main(kernel, train):
    args = sys.argv[1:]
    server = [a.split("=", 1)[1] for a in args if a.startswith("--server=")]
    args = [a for a in args if not a.startswith("--server=")]
    steps = 0
    try:
        lines = stream_from_server(server[-1], kernel, args) if server else \
            ("FoM: %.10g" % value for value in train(args))
        for line in lines:
            print(line, flush=True)
            steps += 1
    except (ValueError, RuntimeError, OSError) as e:
        sys.exit("%s: %s" % (kernel, e))
    if steps == 0:
        sys.exit("%s: no epoch trained" % kernel)
