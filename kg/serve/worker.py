"""Worker processes that answer queries and render pages, so that a query running too long can be stopped.

Oxigraph cannot interrupt a query from another thread, so every job runs in a worker process (started
with `spawn`, each opening the store read-only). The server hands a job to an idle worker and waits at
most `timeout` seconds; a worker that has not answered by then is killed and replaced, and the client is
told that the query was stopped.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from kg.errors import KGError

READY = "ready"
STARTUP_LIMIT = 120.0  # seconds a new worker may take to import kg and open the store


@dataclass(frozen=True)
class Answer:
    """An HTTP answer computed by a worker: status, content type, body and extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def text_answer(status: int, message: str) -> Answer:
    """A plain-text answer (errors and refusals)."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def _worker_main(conn: Connection, store_path: str, base: str, endpoint: str | None) -> None:
    """The loop of a worker process: open the store, then answer jobs until the pipe closes."""
    from kg.serve.jobs import Jobs

    try:
        jobs = Jobs(store_path, base, endpoint)
    except Exception as exc:  # noqa: BLE001 - reported to the server, which shows it
        conn.send(f"cannot open the store: {exc}")
        return
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(jobs.run(job))


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, args: tuple):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False

    def wait_ready(self, limit: float = STARTUP_LIMIT) -> None:
        """Wait until the process has opened the store; a RuntimeError if it failed or took too long."""
        if self.ready:
            return
        if not self.conn.poll(limit):
            raise RuntimeError(f"a worker did not start within {limit:g} s")
        message = self.conn.recv()
        if message != READY:
            raise RuntimeError(str(message))
        self.ready = True

    def stop(self) -> None:
        """Kill the process (it may be in the middle of a query) and close the pipe."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """SIZE workers over the store at STORE_PATH; `run(job)` answers within TIMEOUT seconds or stops the job."""

    def __init__(self, store_path: str, base: str, size: int = 2, timeout: float = 30.0,
                 endpoint: str | None = None):
        self.ctx = mp.get_context("spawn")
        self.args = (store_path, base, endpoint)
        self.timeout = timeout
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.closed = False
        workers = [Worker(self.ctx, self.args) for _ in range(max(1, size))]
        try:
            for w in workers:
                w.wait_ready()
        except (RuntimeError, EOFError, OSError) as exc:
            for w in workers:
                w.stop()
            raise KGError(f"kg serve cannot start its workers: {exc}") from exc
        for w in workers:
            self.idle.put(w)

    def run(self, job: tuple) -> Answer:
        """The answer to JOB from an idle worker; 503 when none frees up or the job takes longer than the timeout."""
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            return text_answer(503, f"the server is busy: no worker became free within {self.timeout:g} s; "
                                    "try again later")
        try:
            worker.wait_ready()
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self.idle.put(worker)
                return answer
            message = (f"the query was stopped after {self.timeout:g} s (the server's time limit); "
                       "narrow it down, e.g. with LIMIT or more specific patterns")
            status = 503
        except (EOFError, OSError, RuntimeError):
            message, status = "the worker answering this request failed; try again", 500
        worker.stop()
        if not self.closed:
            self.idle.put(Worker(self.ctx, self.args))
        return text_answer(status, message)

    def close(self) -> None:
        """Stop every idle worker (busy ones stop when the process exits: they are daemons)."""
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().stop()
            except queue.Empty:
                return
