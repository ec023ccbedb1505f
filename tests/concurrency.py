"""Real simultaneity for the PostgreSQL race tests: each call in its own thread and
database connection, all released at once by a barrier."""

import threading
from concurrent.futures import ThreadPoolExecutor


def race(function, requests, *, refused=Exception):
    """Call ``function(**request)`` for every request at the same moment. Returns, in
    order, each call's result, or the code (``.code``) of the ``refused`` exception it
    raised, or the exception itself when it has no code."""
    from django.db import connection

    barrier = threading.Barrier(len(requests))

    def attempt(request):
        try:
            barrier.wait(timeout=30)
            return function(**request)
        except refused as exc:
            return getattr(exc, "code", exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(attempt, requests))
