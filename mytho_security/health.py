"""``GET /healthz``: is this worker able to serve, i.e. does the database answer?

200 ``{"status": "ok", "database": "ok"}`` or 503 ``{"status": "error", "database": "error"}``,
within :data:`TIMEOUT_SECONDS`, with no session, no host check and no HTTPS redirect (a load
balancer probes it by address, often over plain HTTP), and nothing else in the answer.
"""

import logging
import threading
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

PATH = "/healthz"
# The answer comes within 2 s; the database gets most of it.
TIMEOUT_SECONDS = 1.5


def _database_answers(result: dict) -> None:
    """``SELECT 1`` on a connection of its own thread (closed afterwards)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            result["ok"] = cursor.fetchone() == (1,)
    except Exception:  # any failure means "not healthy"; the reason goes to the log only
        logger.warning("Health check: the database does not answer", exc_info=True)
    finally:
        connections.close_all()


def database_ok(timeout: float = TIMEOUT_SECONDS) -> bool:
    """True when the database answers ``SELECT 1`` within ``timeout`` seconds.

    The query runs in a thread so that a database that accepts the connection but never
    answers still gives an answer in time (the thread is left to finish on its own).
    """
    result: dict = {}
    worker = threading.Thread(target=_database_answers, args=(result,), daemon=True)
    worker.start()
    worker.join(timeout)
    return result.get("ok", False)


class HealthCheckMiddleware:
    """Answers ``/healthz`` before any other middleware (see settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        if database_ok():
            response = JsonResponse({"status": "ok", "database": "ok"})
        else:
            response = JsonResponse({"status": "error", "database": "error"}, status=503)
        response["Cache-Control"] = "no-store"
        return response
