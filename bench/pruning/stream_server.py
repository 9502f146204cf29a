"""Serves the pruning kernels' --server=SOCKET: scikit-learn (and PyTorch, for the LeNet kernel)
imported once, one fresh fork per request running the kernel's own train(), each epoch's
`FoM: <value>` line sent as soon as it is computed. The client going away (its kernel stopped
by a pruner) ends the fork at its next line.

usage: stream_server.py SOCKET KERNEL...   (KERNEL: mlp_kernel, lenet_kernel; runs until killed)
Request: the kernel's name and its flags, separated by NUL. Answer: FoM lines, or `error: ...`.
"""
import importlib
import os
import signal
import socketserver
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_kernel  # noqa: E402,F401  (sets the BLAS thread count before numpy loads)

kernels = {}


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the client is gone: this fork ends
        name, *args = [a for a in self.rfile.read().decode().split("\0") if a] or [""]
        if name not in kernels:
            self.wfile.write(("error: unknown kernel %r\n" % name).encode())
            return
        try:
            for value in kernels[name].train(args):
                self.wfile.write(("FoM: %.10g\n" % value).encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            os._exit(0)
        except Exception as e:  # the kernel's failure goes back to the kernel, not into the server
            self.wfile.write(("error: %s\n" % e).encode())


class Server(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    max_children = 64


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: stream_server.py SOCKET KERNEL...")
    for name in sys.argv[2:]:
        kernels[name] = importlib.import_module(name)
        kernels[name].preload()
    with Server(sys.argv[1], Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
