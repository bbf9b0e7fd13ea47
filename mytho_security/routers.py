"""Reads that scale out: the figures pages read from a PostgreSQL streaming replica.

With ``DATABASE_REPLICA_URL`` set, :class:`ReplicaReadsMiddleware` marks the GET requests of the
pages listed in ``REPLICA_READ_NAMESPACES`` (the dashboard, the period review and its exports, the
API), and :class:`ReplicaRouter` sends their reads to the ``replica`` database. Every write, and
every read of any other page, goes to ``default`` (the primary).

Read-your-writes: a request that may write (POST, PUT, PATCH, DELETE) sets a short-lived cookie;
while it lives, that browser reads from the primary too, so an approver who has just approved a
report sees it on the dashboard even if the replica lags. The cookie holds only a time: the
application servers keep no state of their own.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY_COOKIE = "antq_read_primary"
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a marked request go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reads_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db != REPLICA


def wrote_recently(request: HttpRequest) -> bool:
    try:
        until = float(request.COOKIES.get(PRIMARY_COOKIE, "0"))
    except ValueError:
        return False
    return until > time.time()


class ReplicaReadsMiddleware:
    """Route the reads of the figures pages to the replica, unless the browser just wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.set(False)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replica_configured():
            window = settings.READ_PRIMARY_AFTER_WRITE_SECONDS
            response.set_cookie(
                PRIMARY_COOKIE,
                f"{time.time() + window:.3f}",
                max_age=window,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and match is not None
            and set(match.namespaces) & set(settings.REPLICA_READ_NAMESPACES)
            and not wrote_recently(request)
        ):
            _reads_from_replica.set(True)
        return None
