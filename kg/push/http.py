"""A small HTTP client for writing to SPARQL servers: Basic or Digest authentication, clear one-line errors.

Digest (RFC 7616, MD5 or SHA-256, qop=auth) is what Virtuoso's write endpoints demand. After the first
challenge the client answers it pre-emptively on every later request (counting the nonce), so a large
body is not sent twice; a stale nonce is retried once with the new challenge.
"""
from __future__ import annotations

import base64
import hashlib
import http.client
import os
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from kg.errors import KGError

AUTH_SCHEMES = ("auto", "basic", "digest")


class PushError(KGError):
    """Writing to a SPARQL server failed; the message says what, where and what state the server is in."""


@dataclass
class Response:
    """An HTTP answer: status, headers (lower-cased names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300

    def text(self, limit: int = 200) -> str:
        """The body's first non-empty line of text (tags removed), shortened, for error messages."""
        raw = self.body.decode("utf-8", "replace")
        for line in raw.replace("<", "\n<").replace(">", ">\n").splitlines():
            line = line.strip()
            if line and not line.startswith("<"):
                return line[:limit]
        return ""


def _hash(algorithm: str, text: str) -> str:
    """The hex digest of TEXT with the Digest ALGORITHM (MD5 or SHA-256, with or without -sess)."""
    name = "sha256" if algorithm.upper().startswith("SHA-256") else "md5"
    return hashlib.new(name, text.encode("utf-8")).hexdigest()


@dataclass
class _Challenge:
    """A Digest challenge and how many times its nonce has been used."""

    params: dict[str, str]
    count: int = 0


@dataclass
class Client:
    """Sends requests with credentials for the scheme the server asks for (or the one forced by AUTH)."""

    user: str | None = None
    password: str | None = None
    auth: str = "auto"
    timeout: float = 60.0
    _digest: _Challenge | None = field(default=None, repr=False)
    _basic: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.auth not in AUTH_SCHEMES:
            raise PushError(f"unknown authentication scheme {self.auth!r}; use one of: {', '.join(AUTH_SCHEMES)}")
        self._basic = bool(self.user) and self.auth == "basic"

    def _authorization(self, method: str, url: str) -> str | None:
        """The Authorization header for the next request, if the client knows what the server wants."""
        if not self.user:
            return None
        if self._basic:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            return f"Basic {token}"
        if self._digest is None:
            return None
        ch = self._digest
        ch.count += 1
        p = ch.params
        alg = p.get("algorithm", "MD5")
        split = urllib.parse.urlsplit(url)
        uri = split.path + (f"?{split.query}" if split.query else "")
        cnonce = os.urandom(8).hex()
        nc = f"{ch.count:08x}"
        ha1 = _hash(alg, f"{self.user}:{p.get('realm', '')}:{self.password or ''}")
        if alg.lower().endswith("-sess"):
            ha1 = _hash(alg, f"{ha1}:{p['nonce']}:{cnonce}")
        ha2 = _hash(alg, f"{method}:{uri}")
        qops = [q.strip() for q in p.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            response = _hash(alg, f"{ha1}:{p['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
        else:
            response = _hash(alg, f"{ha1}:{p['nonce']}:{ha2}")
            extra = ""
        opaque = f', opaque="{p["opaque"]}"' if "opaque" in p else ""
        return (f'Digest username="{self.user}", realm="{p.get("realm", "")}", nonce="{p["nonce"]}", '
                f'uri="{uri}", algorithm={alg}, response="{response}"{extra}{opaque}')

    def _learn(self, header: str) -> bool:
        """Take the server's WWW-Authenticate challenge; whether a retry can answer it."""
        scheme, _, rest = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "digest" and self.auth in ("auto", "digest"):
            params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            if "nonce" not in params:
                return False
            self._digest = _Challenge(params)
            return True
        if scheme == "basic" and self.auth in ("auto", "basic"):
            self._basic = True
            return True
        return False

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Response:
        """One request on a fresh connection."""
        split = urllib.parse.urlsplit(url)
        conn_type = http.client.HTTPSConnection if split.scheme == "https" else http.client.HTTPConnection
        conn = conn_type(split.netloc, timeout=self.timeout)
        path = (split.path or "/") + (f"?{split.query}" if split.query else "")
        auth = self._authorization(method, url)
        all_headers = {**headers, **({"Authorization": auth} if auth else {})}
        try:
            conn.request(method, path, body=body if body or method in ("PUT", "POST") else None, headers=all_headers)
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def request(self, method: str, url: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        """Send a request, answering an authentication challenge once; network failures are PushErrors."""
        headers = dict(headers or {})
        try:
            r = self._send(method, url, body, headers)
            if r.status == 401 and self.user and self._learn(r.headers.get("www-authenticate", "")):
                r = self._send(method, url, body, headers)
            return r
        except (OSError, http.client.HTTPException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
            raise PushError(f"{method} {url.split('?')[0]}: the connection failed ({reason})") from exc
