"""Time the write side at national scale: save, submit, approve and a 50-report bulk approval.

Each step is a real POST through Django's test client in this process (the whole middleware,
view and service stack, no network), committed to the database, on a commune of the synthetic
country made by ``generate_national``: its cities' communes have not reported this year yet.
Every run uses fresh communes (a report is saved, submitted and approved only once), so the
database changes: use the benchmark database only (bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mytho_bench \\
        .venv/bin/python bench/bench_workflow.py --runs 7

It prints, per step, the median, minimum and maximum time, the SQL queries of the last run and
the target of issue 13; then checks that the aggregates of the cities and areas it touched
equal a fresh recomputation.
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
from django.db.models import Count, Max, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns import approvals  # noqa: E402
from campaigns.models import Indicator, ReportValue, UnitReport  # noqa: E402
from wards.models import AdministrativeUnit, User  # noqa: E402

settings.STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
BULK = 50
TARGETS = {"save": None, "submit": 100.0, "approve": 100.0, f"bulk approval of {BULK}": 2000.0}


def _user(username: str, role: str, unit: AdministrativeUnit) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "unit": unit})
    return user


def _fresh_communes(city: AdministrativeUnit, year: int) -> list[AdministrativeUnit]:
    """The city's communes that have no report of ``year`` yet."""
    reported = UnitReport.objects.filter(period__year=year, unit__parent=city).values("unit_id")
    return list(
        AdministrativeUnit.objects.filter(parent=city)
        .exclude(pk__in=reported)
        .select_related("parent")
        .order_by("pk")
    )


def _cities(year: int, wanted: int) -> list[AdministrativeUnit]:
    """Synthetic cities with at least ``wanted`` communes still to report in ``year``."""
    cities = AdministrativeUnit.objects.filter(kind="city", code__startswith="NAT-").order_by("pk")
    return [c for c in cities if len(_fresh_communes(c, year)) >= wanted]


def _form(unit: AdministrativeUnit, year: int, version: int, action: str) -> dict[str, str]:
    """The entry form filled with the commune's latest approved figures (they keep the rules)."""
    indicators = list(Indicator.objects.valid_in(year).reported_by("commune_level"))
    latest = (
        UnitReport.objects.filter(unit=unit, status="approved", period__year__lt=year)
        .order_by("-period__year")
        .first()
    )
    values = dict(ReportValue.objects.filter(report=latest).values_list("indicator_id", "value"))
    data = {"version": str(version), "action": action}
    for indicator in indicators:
        value = values.get(indicator.pk)
        data[f"v_{indicator.code}"] = "" if value is None else str(value).replace(".", ",")
        data[f"c_{indicator.code}"] = ""
    return data


def _timed(fn) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        fn()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, len(ctx.captured_queries)


def _post(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code)


def _login(client: Client, user: User) -> None:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


def _check_aggregates(areas: set[int], year: int) -> str:
    """The kept approved aggregates of ``areas`` in ``year`` against their base values."""
    # Imported here: before issue 13 the model lived in the dashboard app (this script also
    # times that code, for the "before" figures).
    try:
        from campaigns.models import IndicatorAggregate
    except ImportError:
        from campaigns.dashboard.models import IndicatorAggregate
    from wards.scoping import within_q

    wrong = 0
    for area in areas:
        kept = {
            a.indicator_id: (a.total, a.value_count, a.maximum)
            for a in IndicatorAggregate.objects.filter(area_id=area, year=year, basis="approved")
        }
        fresh = {
            row["indicator_id"]: (row["total"], row["n"], row["top"])
            for row in ReportValue.objects.filter(
                within_q(area, "report__unit"),
                report__period__year=year,
                report__status="approved",
                value__isnull=False,
            )
            .values("indicator_id")
            .annotate(total=Sum("value"), n=Count("id"), top=Max("value"))
        }
        wrong += kept != fresh
    return "exact" if not wrong else f"{wrong} areas differ"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    year = timezone.localdate().year
    cities = _cities(year, max(args.runs, BULK))
    if len(cities) < 2:
        sys.exit(
            "Not enough synthetic cities with communes still to report this year: run "
            "generate_national on a fresh database (bench/README.md)."
        )
    steps_city, bulk_city = cities[0], cities[1]
    client = Client()
    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    queries: dict[str, int] = {}
    approver = None  # at the unit the year's approval levels name (the province from 2025)

    # save (first save of the year's report), submit (save and submit), approve.
    for unit in _fresh_communes(steps_city, year)[: args.runs]:
        official = _user(f"bench-{unit.slug}", "official", unit)
        entry = reverse("campaigns:report_entry", args=[year, unit.slug])
        _login(client, official)
        data = _form(unit, year, 0, "save")
        ms, n = _timed(lambda e=entry, d=data: _post(client, e, d))
        times["save"].append(ms)
        queries["save"] = n
        data = _form(unit, year, 1, "submit")
        ms, n = _timed(lambda e=entry, d=data: _post(client, e, d))
        times["submit"].append(ms)
        queries["submit"] = n
        report = UnitReport.objects.get(unit=unit, period__year=year)
        assert report.status == "submitted", report.status
        deciding = approvals.chain_of(report)[-1].unit
        approver = approver or _user(f"bench-approver-{deciding.slug}", "approver", deciding)
        _login(client, approver)
        url = reverse("campaigns:report_approve", args=[year, unit.slug])
        ms, n = _timed(lambda u=url, r=report: _post(client, u, {"version": r.version}))
        times["approve"].append(ms)
        queries["approve"] = n
        report.refresh_from_db()
        assert report.status == "approved", report.status

    # One bulk approval of 50 clean submitted reports (prepared untimed).
    selection = []
    for unit in _fresh_communes(bulk_city, year)[:BULK]:
        _login(client, _user(f"bench-{unit.slug}", "official", unit))
        entry = reverse("campaigns:report_entry", args=[year, unit.slug])
        _post(client, entry, _form(unit, year, 0, "submit"))
        report = UnitReport.objects.get(unit=unit, period__year=year)
        selection.append(f"{report.pk}:{report.version}")
    deciding = approvals.chain_of(report)[-1].unit
    _login(client, _user(f"bench-approver-{deciding.slug}", "approver", deciding))
    url = reverse("campaigns:bulk_approve", args=[year])
    bulk = f"bulk approval of {BULK}"
    ms, n = _timed(lambda: _post(client, url, {"report": selection}))
    times[bulk].append(ms)
    queries[bulk] = n
    approved = UnitReport.objects.filter(
        pk__in=[int(s.partition(":")[0]) for s in selection], status="approved"
    ).count()
    assert approved == BULK, f"{approved} of {BULK} approved"

    communes = AdministrativeUnit.objects.filter(code__startswith="NAT-").commune_level().count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; {communes} communes; "
        f"year {year}; runs: {args.runs}; load average: {os.getloadavg()[0]:.1f}"
    )
    print(f"{'step':22} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8} {'target ms':>10}")
    for name, values in times.items():
        target = TARGETS[name]
        print(
            f"{name:22} {statistics.median(values):10.1f} {min(values):8.1f} {max(values):8.1f} "
            f"{queries[name]:8d} {'' if target is None else f'{target:.0f}':>10}"
        )
    areas = {steps_city.pk, bulk_city.pk, steps_city.parent_id, bulk_city.parent_id}
    areas.add(AdministrativeUnit.objects.get(pk=steps_city.parent_id).parent_id)
    check = _check_aggregates(areas, year)
    print(f"approved aggregates of the cities, provinces and country touched: {check}")


if __name__ == "__main__":
    main()
