"""The HTTP side of `kg serve` (standard library only): the SPARQL 1.1 Protocol at /sparql and entity IRIs.

Requests are parsed here and answered by the worker pool (`kg.serve.worker`); nothing here touches the
store. Writes of any kind are refused: SPARQL Update with 403, PUT/DELETE/PATCH with 405.
"""
from __future__ import annotations

import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg import __version__
from kg.serve.jobs import READ_ONLY
from kg.serve.worker import Answer, WorkerPool, text_answer

MAX_BODY = 1 << 20  # bytes of a POSTed query
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


class Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its worker pool and the IRI base it resolves."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], base: str, quiet: bool = False):
        super().__init__(address, Handler)
        self.base = base
        self.base_path = urllib.parse.urlsplit(base).path or "/"
        self.quiet = quiet
        host = address[0] if address[0] not in ("", "0.0.0.0", "::") else "localhost"
        self.endpoint = f"http://{host}:{self.server_address[1]}/sparql"
        self.pool: WorkerPool  # set by kg.serve.make_server once the port is known


class Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD/POST on /sparql, entity paths under the base and /; refuses writes."""

    server: Server
    server_version = f"kg/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        """Log requests to stderr in the common format (quiet when the server is told to be)."""
        if not self.server.quiet:
            super().log_message(format, *args)

    def send(self, answer: Answer, head: bool = False) -> None:
        """Send ANSWER (headers only for HEAD)."""
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in answer.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)

    def _route(self, path: str, params: dict[str, list[str]], head: bool = False) -> None:
        """Answer a GET or HEAD for PATH."""
        accept = self.headers.get("Accept")
        if path == "/sparql":
            return self.send(self._sparql(params, accept), head)
        if path == "/" and self.server.base_path != "/":
            return self.send(self.server.pool.run(("home",)), head)
        if path.startswith(self.server.base_path) or path == "/":
            rest = urllib.parse.unquote(path[len(self.server.base_path):]) if path != "/" else ""
            if not rest:
                return self.send(self.server.pool.run(("home",)), head)
            return self.send(self.server.pool.run(("describe", self.server.base + rest, accept)), head)
        return self.send(text_answer(404, f"nothing here: {path} (try /sparql or {self.server.base_path})"), head)

    def _sparql(self, params: dict[str, list[str]], accept: str | None) -> Answer:
        """Run the query in PARAMS (a protocol request's parameters)."""
        if "update" in params:
            return text_answer(403, READ_ONLY)
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return text_answer(400, "give exactly one query: /sparql?query=… (GET) or a POST of a form with "
                                    "query=…, or of application/sparql-query")
        job = ("query", queries[0], accept, params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        return self.server.pool.run(job)

    def _split(self) -> tuple[str, dict[str, list[str]]]:
        """The path and the query-string parameters of the request."""
        parts = urllib.parse.urlsplit(self.path)
        return parts.path, urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    def do_GET(self) -> None:
        """GET: a query, an entity, or the home page."""
        path, params = self._split()
        self._route(path, params)

    def do_HEAD(self) -> None:
        """HEAD: as GET, without the body."""
        path, params = self._split()
        self._route(path, params, head=True)

    def do_POST(self) -> None:
        """POST to /sparql: a query as a form or as application/sparql-query; updates are refused."""
        path, params = self._split()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            return self.send(text_answer(413, f"the request is larger than {MAX_BODY} bytes"))
        body = self.rfile.read(length) if length else b""
        if path != "/sparql":
            return self.send(text_answer(405, "only /sparql takes POST; this server is read-only"))
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == SPARQL_UPDATE:
            return self.send(text_answer(403, READ_ONLY))
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self.send(text_answer(400, "the request body is not UTF-8"))
        if media == SPARQL_QUERY:
            params["query"] = params.get("query", []) + [text]
        elif media == FORM:
            for key, values in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                params[key] = params.get(key, []) + values
        else:
            return self.send(text_answer(415, f"POST a form ({FORM}) or {SPARQL_QUERY}, not {media or 'nothing'}"))
        self.send(self._sparql(params, self.headers.get("Accept")))

    def _refuse(self) -> None:
        """PUT, DELETE, PATCH: this server is read-only."""
        self.close_connection = True
        answer = text_answer(405, "this server is read-only: it takes GET, HEAD and POST (queries) only")
        self.send(Answer(answer.status, answer.content_type, answer.body, (("Allow", "GET, HEAD, POST, OPTIONS"),)))

    do_PUT = do_DELETE = do_PATCH = _refuse

    def do_OPTIONS(self) -> None:
        """CORS preflight."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()
