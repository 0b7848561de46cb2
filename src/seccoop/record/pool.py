"""Worker processes for the commands that take ``--jobs`` (validation, the build's rows, the
baselines), started one way and tied to the life of the process that started them.

A worker of :class:`concurrent.futures.ProcessPoolExecutor` waits for work on a queue whose
writing end it holds itself, so it never sees the end of the queue: when the main process is
killed (SIGKILL, or SIGTERM, which skips every ``finally``), nothing shuts the pool down and the
workers (each with its own copy of, say, spaCy's pipeline) would wait for ever. Each worker here
watches the main process and exits when it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

__all__ = ["WATCH_SECONDS", "process_pool"]

WATCH_SECONDS = 1.0
"""How often a worker checks that the process that started it is still there."""


def process_pool(workers: int, *, fork: bool = False) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that exit when this process is gone.

    They are started by a fork server (``spawn`` where there is none), because a fork of a
    process that runs threads (pyarrow's, a pool's own) may deadlock; ``fork=True`` keeps the
    platform's default start method, for callers that start their pool before any such thread
    (the validator, whose workers then cost no import).
    """
    if fork:
        context = None
    else:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_exit_with, initargs=(os.getpid(),)
    )


def _exit_with(parent: int) -> None:
    threading.Thread(target=_watch, args=(parent,), name="seccoop-watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(parent, 0)  # signal 0: is the process there? (nothing is sent)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the number now belongs to another user's process
            os._exit(1)
