"""Where a SPARQL server takes writes: its update and Graph Store endpoints, found from the query endpoint.

Known layouts (the server is recognised by its `Server` header; `--update-url` / `--gsp-url` override):

| server | query endpoint | SPARQL Update | Graph Store Protocol |
|---|---|---|---|
| Virtuoso | `/sparql` | `/sparql-auth` (HTTP Digest) | `/sparql-graph-crud-auth` (HTTP Digest) |
| Oxigraph | `/query` | `/update` | `/store` |
| Fuseki | `/DATASET/sparql` or `/DATASET/query` | `/DATASET/update` | `/DATASET/data` |
| other | the URL given | the same URL | none (use `--gsp-url`) |

Virtuoso refuses `INSERT DATA` requests of more than about 1,000 triples, so updates to it go in
smaller chunks.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from kg.push.http import Client, PushError

PROTOCOLS = ("auto", "gsp", "update")
GSP_CHUNK = 100_000  # triples per Graph Store request
UPDATE_CHUNK = {"virtuoso": 500}  # triples per INSERT DATA request, by server
DEFAULT_UPDATE_CHUNK = 10_000


@dataclass(frozen=True)
class Target:
    """A server's endpoints for reading and writing and the protocol chosen for the push."""

    server: str
    query_url: str
    update_url: str | None
    gsp_url: str | None
    protocol: str
    chunk: int


def _origin(url: str) -> str:
    """scheme://host:port of URL."""
    u = urllib.parse.urlsplit(url)
    return f"{u.scheme}://{u.netloc}"


def server_kind(client: Client, endpoint: str) -> str:
    """virtuoso, oxigraph, fuseki or other, from the Server header of the endpoint's answer to ASK {}."""
    r = client.request("GET", endpoint + ("&" if "?" in endpoint else "?") + "query=ASK%7B%7D",
                       headers={"Accept": "application/sparql-results+json"})
    header = r.headers.get("server", "").lower()
    for kind in ("virtuoso", "oxigraph", "fuseki"):
        if kind in header:
            return kind
    return "other"


def known_endpoints(kind: str, endpoint: str, with_credentials: bool) -> tuple[str | None, str | None]:
    """The (update, Graph Store) URLs of a server of KIND whose query endpoint is ENDPOINT."""
    origin = _origin(endpoint)
    if kind == "virtuoso":
        if with_credentials:
            return origin + "/sparql-auth", origin + "/sparql-graph-crud-auth"
        return origin + "/sparql", origin + "/sparql-graph-crud"
    if kind == "oxigraph":
        return origin + "/update", origin + "/store"
    if kind == "fuseki":
        dataset = re.sub(r"/(sparql|query)/?$", "", urllib.parse.urlsplit(endpoint).path)
        return origin + dataset + "/update", origin + dataset + "/data"
    return endpoint, None


def discover(client: Client, endpoint: str, protocol: str = "auto", update_url: str | None = None,
             gsp_url: str | None = None, chunk: int | None = None) -> Target:
    """The target of a push to ENDPOINT: the server's kind, its write endpoints and the protocol to use."""
    if not re.match(r"(?i)^https?://[^\s/]+", endpoint):
        raise PushError(f"not an http(s) endpoint URL: {endpoint!r}")
    if protocol not in PROTOCOLS:
        raise PushError(f"unknown protocol {protocol!r}; use one of: {', '.join(PROTOCOLS)}")
    kind = server_kind(client, endpoint)
    known_update, known_gsp = known_endpoints(kind, endpoint, bool(client.user))
    update_url = update_url or known_update
    gsp_url = gsp_url or known_gsp
    if protocol == "auto":
        protocol = "gsp" if gsp_url else "update"
    if protocol == "gsp" and not gsp_url:
        raise PushError(f"no Graph Store endpoint known for {endpoint}: give --gsp-url, or use --protocol update")
    if protocol == "update" and not update_url:
        raise PushError(f"no SPARQL Update endpoint known for {endpoint}: give --update-url")
    if chunk is None:
        chunk = GSP_CHUNK if protocol == "gsp" else UPDATE_CHUNK.get(kind, DEFAULT_UPDATE_CHUNK)
    if chunk < 1:
        raise PushError("--chunk-size must be at least 1")
    return Target(kind, endpoint, update_url, gsp_url, protocol, chunk)
