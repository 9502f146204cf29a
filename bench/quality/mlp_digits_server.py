"""Serves mlp_digits_kernel.py --server=SOCKET: scikit-learn and the data loaded once, one
fresh fork per request running the kernel's own train(), so each answer is what the kernel
would print without the server.

usage: mlp_digits_server.py SOCKET   (runs until killed; one request per connection: the
kernel's flags separated by NUL; answer `FoM: <value>` or `error: <message>`)
"""
import importlib
import os
import socketserver
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlp_digits_kernel as kernel  # noqa: E402  (sets the BLAS thread count before numpy loads)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        args = [a for a in self.rfile.read().decode().split("\0") if a]
        try:
            answer = "FoM: %.10g\n" % kernel.train(args)
        except Exception as e:  # the kernel's failure goes back to the kernel, not into the server
            answer = "error: %s\n" % e
        self.wfile.write(answer.encode())


class Server(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    pass


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: mlp_digits_server.py SOCKET")
    importlib.import_module("sklearn.neural_network")  # the import each request would otherwise pay
    kernel.load_data()
    with Server(sys.argv[1], Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
