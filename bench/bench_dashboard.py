"""Time the dashboard, the period review, its XLSX export and the API, server-side.

Each page is requested through Django's test client in this process (the whole middleware and
view stack, no network), after one warm-up, ``--runs`` times; the median is printed with the
number of SQL queries. The same headline numbers are then computed by hand-written SQL on the
base tables (no aggregates) and the ratio page / raw SQL is printed.

    # city scale: the demo data (TP. Mỹ Tho, 17 units, 2015–2020)
    # national scale: bench/README.md shows how to make the database with generate_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mytho_bench \
        .venv/bin/python bench/bench_dashboard.py --runs 7
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mytho_security.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.models import ReportingPeriod  # noqa: E402
from wards.models import AdministrativeUnit, User  # noqa: E402

settings.STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

RAW_SQL = """
WITH scope AS (
    SELECT u.id FROM wards_administrativeunit u
    LEFT JOIN wards_administrativeunit p ON p.id = u.parent_id
    LEFT JOIN wards_administrativeunit g ON g.id = p.parent_id
    LEFT JOIN wards_administrativeunit gg ON gg.id = g.parent_id
    WHERE u.id = %(unit)s OR p.id = %(unit)s OR g.id = %(unit)s OR gg.id = %(unit)s
)
SELECT
    (SELECT COUNT(*) FROM (
        SELECT i.code, per.year, SUM(v.value)
        FROM campaigns_reportvalue v
        JOIN campaigns_unitreport r ON r.id = v.report_id
        JOIN campaigns_reportingperiod per ON per.id = r.period_id
        JOIN campaigns_indicator i ON i.id = v.indicator_id
        WHERE r.unit_id IN (SELECT id FROM scope) AND r.status = 'approved'
          AND per.year BETWEEN %(y1)s AND %(y2)s AND v.value IS NOT NULL
        GROUP BY i.code, per.year) AS series) AS series_rows,
    (SELECT COUNT(*) FROM certifications_dossier d
        WHERE d.year = %(y2)s AND d.status = 'decided' AND d.result = 'met'
          AND d.kind = 'antt_safe' AND d.holder_type = 'organization'
          AND d.unit_id IN (SELECT id FROM scope)) AS organizations_certified,
    (SELECT COUNT(*) FROM certifications_dossier d
        WHERE d.year = %(y2)s AND d.status = 'decided' AND d.result = 'met'
          AND d.kind = 'antt_safe' AND d.holder_type = 'unit'
          AND d.unit_id IN (SELECT id FROM scope)) AS units_certified,
    (SELECT COUNT(DISTINCT s.model_id) FROM models_registry_modelsite s
        JOIN models_registry_preventionmodel m ON m.id = s.model_id
        WHERE s.unit_id IN (SELECT id FROM scope)
          AND s.start_date <= %(end)s AND (s.retired_on IS NULL OR s.retired_on > %(end)s)
          AND m.start_date <= %(end)s AND (m.retired_on IS NULL OR m.retired_on > %(end)s))
        AS models
"""


def median_ms(fn, runs: int) -> tuple[float, int]:
    fn()  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    client = Client()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        sys.exit("No administrator in this database: run load_demo first (see bench/README.md).")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")

    # city: TP. Mỹ Tho's demo data; province: one synthetic province (165 communes) of the
    # national dataset; national: the whole synthetic country (10,395 communes).
    scenarios = [("city", "tp-my-tho", 2015, 2020)]
    province = (
        AdministrativeUnit.objects.filter(kind="province", code__startswith="NAT-")
        .order_by("pk")
        .first()
    )
    # The synthetic years (generate_national makes the 10 years up to the current one).
    years = ReportingPeriod.objects.filter(campaign__slug__startswith="nat-").aggregate(
        first=Min("year"), last=Max("year")
    )
    if province:
        scenarios.append(("province", province.slug, years["first"], years["last"]))
    if AdministrativeUnit.objects.filter(slug="nat-vn").exists():
        scenarios.append(("national", "nat-vn", years["first"], years["last"]))
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; runs: {args.runs}")
    print(f"{'scale':9} {'page':22} {'median ms':>10} {'queries':>8} {'× raw SQL':>10}")
    for scale, slug, y1, y2 in scenarios:
        unit = AdministrativeUnit.objects.get(slug=slug)
        params = {"from": y1, "to": y2, "unit": slug}

        def raw(unit=unit, y1=y1, y2=y2):
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, {"unit": unit.pk, "y1": y1, "y2": y2, "end": f"{y2}-12-31"})
                cursor.fetchall()

        raw_ms, _ = median_ms(raw, args.runs)
        pages = {
            "dashboard": ("/tong-quan/", params),
            "period report": ("/bao-cao-so-ket/", params),
            "period report XLSX": ("/bao-cao-so-ket/", {**params, "format": "xlsx"}),
            "API summary": ("/api/v1/summary/", params),
            "API series": ("/api/v1/series/", params),
        }
        for name, (url, query) in pages.items():

            def get(url=url, query=query):
                response = client.get(url, query)
                assert response.status_code == 200, (url, response.status_code)

            ms, queries = median_ms(get, args.runs)
            print(f"{scale:9} {name:22} {ms:10.1f} {queries:8d} {ms / raw_ms:10.2f}")
        print(f"{scale:9} {'raw SQL (base tables)':22} {raw_ms:10.1f} {'':8} {1:10.2f}")


if __name__ == "__main__":
    main()
