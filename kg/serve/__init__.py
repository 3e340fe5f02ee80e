"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint and dereferenceable IRIs, on the standard library.

`/sparql` answers SELECT and ASK as SPARQL JSON, XML, CSV or TSV, CONSTRUCT and DESCRIBE as Turtle,
JSON-LD, N-Triples or RDF/XML, by content negotiation, over the union of the store's graphs. Every IRI
under the base (the store's, or `--base`) is answered at its path: HTML for browsers, RDF for machines.
Queries run in worker processes and are stopped after `timeout` seconds.
"""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable

from kg.export import store_base
from kg.rdf.store import open_store
from kg.serve.http import Server
from kg.serve.worker import WorkerPool

DEFAULT_PORT = 8080
DEFAULT_TIMEOUT = 30.0


def make_server(store_path: str, host: str = "127.0.0.1", port: int = DEFAULT_PORT, base: str | None = None,
                timeout: float = DEFAULT_TIMEOUT, workers: int = 2, quiet: bool = False) -> Server:
    """A server bound to HOST:PORT (0: any free port) over the store at STORE_PATH, not yet serving."""
    open_store(store_path)  # a missing or foreign store is an error now, not in the workers
    base = base or store_base(store_path)
    base = base if base.endswith(("/", "#")) else base + "/"
    server = Server((host, port), base, quiet)
    try:
        server.pool = WorkerPool(str(store_path), base, workers, timeout, server.endpoint)
    except BaseException:
        server.server_close()
        raise
    return server


def _stop_on_signal(signum: int, frame: object) -> None:
    """SIGTERM ends the server like Ctrl-C does: the workers are stopped on the way out."""
    raise KeyboardInterrupt


def serve(store_path: str, host: str = "127.0.0.1", port: int = DEFAULT_PORT, base: str | None = None,
          timeout: float = DEFAULT_TIMEOUT, workers: int = 2, quiet: bool = False,
          ready: Callable[[Server], None] | None = None) -> None:
    """Serve the store until interrupted; READY is called once the socket listens."""
    server = make_server(store_path, host, port, base, timeout, workers, quiet)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_signal)
    try:
        if ready:
            ready(server)
        server.serve_forever()
    finally:
        server.server_close()
        server.pool.close()


def announce(server: Server) -> None:
    """Print where the server listens (stderr; the first line names the endpoint, for scripts)."""
    print(f"kg serve: SPARQL endpoint {server.endpoint}", file=sys.stderr)
    print(f"kg serve: IRIs under {server.base} at {server.base_path} on this host; Ctrl-C stops", file=sys.stderr)
    sys.stderr.flush()
