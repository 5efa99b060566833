"""``python -m auditor.demo [--port N] [--host H]``: serve the sample site until Ctrl-C."""
import argparse

from auditor.demo import serve

parser = argparse.ArgumentParser(prog="python -m auditor.demo",
                                 description="Serve the bundled sample government website.")
parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 = any free port)")
parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
args = parser.parse_args()
try:
    serve(port=args.port, host=args.host)
except OSError as exc:
    parser.exit(2, f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}\n")
