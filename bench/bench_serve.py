"""One sitting: gunicorn served the production way, then in-process timings at national scale.

1. Starts gunicorn (``DEBUG=0``, manifest static files, ``--workers 2``) on 127.0.0.1 and loads
   it with wrk: the login page (the floor: a page with a form and no figures), the city
   leader's dashboard, the period review, the API summary and an official's entry page. Prints
   req/s, p50 and p99 latency, non-2xx responses, and each page's req/s as a share of the floor's.
2. In this process (Django's test client, whole middleware stack, no network), at national scale
   when ``generate_national`` has run: the median time of the dashboard, the period review and
   the API summary with an empty cache (uncached) and again (cached), with their SQL query
   counts, against the cheapest correct SQL for the same headline figures (the floor).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mytho_bench \\
        .venv/bin/python bench/bench_serve.py [--duration 10] [--port 8106] [--redis URL]

The database needs ``load_demo`` (city pages) and, for part 2, ``generate_national``
(bench/README.md). Needs wrk (``apt-get install -y wrk``). Load goes to 127.0.0.1 only.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}
for _name, _value in PRODUCTION_ENV.items():
    os.environ.setdefault(_name, _value)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mytho_security.settings")

CITY = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
NATIONAL = {"from": "2015", "to": "2024", "unit": "nat-vn"}

# The cheapest correct SQL for a scope's headline figures, reading what the schema keeps for
# them: the area's indicator aggregates (one index range), its reports counted per year, its
# titles held in the last year and its sites counted on that year's 31 December (the sum of the
# kept yearly changes up to it).
FLOOR_SQL = """
SELECT
    (SELECT COUNT(*) FROM (
        SELECT indicator_id, year, total FROM dashboard_indicatoraggregate
        WHERE area_id = %(unit)s AND basis = 'approved' AND year BETWEEN %(y1)s AND %(y2)s
    ) AS series) AS series_rows,
    (SELECT SUM(reports) FROM campaigns_reportcount
        WHERE area_id = %(unit)s AND basis = 'approved' AND year BETWEEN %(y1)s AND %(y2)s)
        AS reports,
    (SELECT SUM(holders) FROM certifications_titlecount
        WHERE area_id = %(unit)s AND year = %(y2)s) AS titles,
    (SELECT COUNT(*) FROM (
        SELECT model_id FROM models_registry_countedsitechange
        WHERE area_id = %(unit)s AND year <= %(y2)s GROUP BY model_id HAVING SUM(sites) > 0
    ) AS counted) AS models
"""


def wrk(url: str, cookie: str | None, duration: int, connections: int) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": errors.group(1).strip() if errors else "",
    }


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/tai-khoan/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("gunicorn did not answer in time")
        time.sleep(0.5)


def median_ms(fn, runs: int, before=None) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    fn()  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=7, help="in-process runs per page")
    parser.add_argument("--redis", default="", help="REDIS_URL for gunicorn (default: none)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from campaigns import selectors
    from wards.models import AdministrativeUnit, User

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    leader = User.objects.filter(username="leader").first()
    if leader is None:
        sys.exit("No demo accounts in this database: run load_demo first (bench/README.md).")
    official, entry_url = None, None
    for candidate in User.objects.filter(role="official", is_active=True).select_related("unit"):
        periods = selectors.open_periods_for_unit(candidate.unit, timezone.localdate())
        if periods:
            official = candidate
            entry_url = reverse(
                "campaigns:report_entry", args=[periods[0].year, candidate.unit.slug]
            )
            break

    def session_cookie(user) -> str:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {**os.environ, **PRODUCTION_ENV, "STATIC_ROOT": static_root}
    if args.redis:
        env["REDIS_URL"] = args.redis
    else:
        env.pop("REDIS_URL", None)
    python = str(Path(sys.executable))
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            gunicorn,
            "mytho_security.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(base)
        from urllib.parse import urlencode

        city = urlencode(CITY)
        leader_cookie = session_cookie(leader)
        pages = [
            ("login page (floor)", "/tai-khoan/login/", None),
            ("dashboard", f"/tong-quan/?{city}", leader_cookie),
            ("period review", f"/bao-cao-so-ket/?{city}", leader_cookie),
            ("API summary", f"/api/v1/summary/?{city}", leader_cookie),
        ]
        if official:
            pages.append((f"entry page ({official.username})", entry_url, session_cookie(official)))
        print(
            f"database {connection.settings_dict['NAME']}; gunicorn {args.workers} workers, "
            f"DEBUG=0, cache {'Redis' if args.redis else 'local memory'}; "
            f"wrk -t2 -c{args.connections} -d{args.duration}s"
        )
        print(
            f"{'page (city demo)':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'non-2xx':>8} {'× floor':>8}"
        )
        floor = None
        for name, path, cookie in pages:
            wrk(base + path, cookie, 2, args.connections)  # warm the workers and the cache
            result = wrk(base + path, cookie, args.duration, args.connections)
            floor = floor or result["rps"]
            print(
                f"{name:34} {result['rps']:8.1f} {result['p50']:8.1f} {result['p99']:8.1f} "
                f"{result['non_2xx']:8d} {result['rps'] / floor:8.2f}"
                + (f"  socket errors: {result['errors']}" if result["errors"] else "")
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    national = AdministrativeUnit.objects.filter(slug=NATIONAL["unit"]).first()
    if national is None:
        print("\nno national dataset (manage.py generate_national): in-process part skipped")
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    print(
        f"\nin process, national scale ({NATIONAL['unit']}, {NATIONAL['from']}–"
        f"{NATIONAL['to']}), median of {args.runs}"
    )
    print(
        f"{'page':22} {'uncached ms':>12} {'queries':>8} {'cached ms':>10} {'queries':>8} "
        f"{'× floor':>8}"
    )

    def floor_query():
        with connection.cursor() as cursor:
            cursor.execute(
                FLOOR_SQL,
                {
                    "unit": national.pk,
                    "y1": int(NATIONAL["from"]),
                    "y2": int(NATIONAL["to"]),
                },
            )
            cursor.fetchall()

    floor_ms, _ = median_ms(floor_query, args.runs)
    for name, url in [
        ("dashboard", "/tong-quan/"),
        ("period review", "/bao-cao-so-ket/"),
        ("API summary", "/api/v1/summary/"),
    ]:

        def get(url=url):
            response = client.get(url, NATIONAL)
            assert response.status_code == 200, (url, response.status_code)

        uncached, q_uncached = median_ms(get, args.runs, before=cache.clear)
        cache.clear()
        cached, q_cached = median_ms(get, args.runs)
        print(
            f"{name:22} {uncached:12.1f} {q_uncached:8d} {cached:10.1f} {q_cached:8d} "
            f"{uncached / floor_ms:8.2f}"
        )
    print(f"{'floor SQL':22} {floor_ms:12.1f}")


if __name__ == "__main__":
    main()
