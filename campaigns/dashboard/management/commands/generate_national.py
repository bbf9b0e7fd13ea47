"""``manage.py generate_national``: a synthetic national-scale dataset for the benchmarks.

PostgreSQL only, written with COPY (not row-by-row saves): a country of 63 provinces › districts
› ≥10,000 communes, a report per commune and year for 10 years with every indicator (≈3.3 million
values),
100,000 organisations with a yearly "An toàn về ANTT" dossier, 50,000 model sites, and the
dashboard aggregates computed at the end by one grouped SQL statement per level. Meant for a
database of its own (see bench/README.md); it refuses to run twice on the same database.

The years end with this one (its periods open today). The communes go through the workflow
like Mỹ Tho's wards: each district (the first of each province is a city of a third of the
province's communes, ≥50 of them by default) runs a campaign with a period per year; this
year the other communes have reported (60% approved) and the cities' communes not yet, so
``bench/bench_workflow.py`` can time save, submit, approval and a 50-report bulk approval in
them. The values keep the catalogue's "less than or equal" rules (cases solved ≤ cases, …).
"""

import datetime
import io
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from campaigns.aggregates import rebuild_report_counts
from campaigns.certifications import counts as title_counts
from campaigns.certifications.models import RuleSet
from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorAggregate,
    ReportingPeriod,
    UnitReport,
    ValidationRule,
)
from models_registry import counts as site_counts
from models_registry.models import PreventionModel
from wards import figures
from wards.models import AdministrativeUnit

PREFIX = "NAT"
PROVINCES = 63


class Command(BaseCommand):
    help = "Generate a synthetic national-scale dataset on PostgreSQL (for bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=10_395)
        parser.add_argument(
            "--last-year",
            type=int,
            default=timezone.localdate().year,
            help="The last year (default: this year, its periods open today).",
        )
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--organizations", type=int, default=100_000)
        parser.add_argument("--sites", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=20201111)

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("generate_national needs PostgreSQL: set DATABASE_URL.")
        if AdministrativeUnit.objects.filter(code__startswith=f"{PREFIX}-").exists():
            raise CommandError("This database already has the synthetic data; use a fresh one.")
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now()
        last = opts["last_year"]
        self.years = list(range(last - opts["years"] + 1, last + 1))
        started = time.monotonic()
        with transaction.atomic():
            self._skip_row_triggers()
            communes = self._units(opts["communes"])
            self._step("units", started)
            reports = self._reports(communes)
            self._step("reports", started)
            self._values(reports)
            self._step("values", started)
            self._organizations_and_dossiers(communes, opts["organizations"])
            self._step("organisations and dossiers", started)
            self._sites(communes, opts["sites"])
            self._step("model sites", started)
            rows = self._aggregates()
            self._step(f"aggregates ({rows} rows)", started)
            rows = rebuild_report_counts()
            self._step(f"report counts ({rows} rows)", started)
            rows = title_counts.rebuild()
            self._step(f"title counts ({rows} rows)", started)
            rows = site_counts.rebuild()
            self._step(f"site counts ({rows} rows)", started)
            figures.bump()  # pages cached before (in Redis) must not outlive the old figures
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._step("analyze", started)

    def _skip_row_triggers(self) -> None:
        """Every row written here references ids this command inserted in the same transaction,
        yet PostgreSQL would queue a foreign-key check per row (≈10 million for the defaults)
        and run them at COMMIT, which took most of the command's time. A superuser (the bench
        database's owner on these machines) turns those triggers off for this transaction only;
        anyone else gets the checks, just slower."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            if cursor.fetchone()[0] == "on":
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                self.stdout.write("not a superuser: foreign keys are checked row by row (slower)")

    def _step(self, what: str, started: float) -> None:
        self.stdout.write(f"{time.monotonic() - started:7.1f}s  {what}")

    def _copy(self, table: str, columns: list[str], rows) -> None:
        buffer = io.StringIO()
        count = 0
        with connection.cursor() as cursor:
            for row in rows:
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
                count += 1
                if count % 200_000 == 0:
                    self._flush(cursor, table, columns, buffer)
                    buffer = io.StringIO()
            self._flush(cursor, table, columns, buffer)

    @staticmethod
    def _flush(cursor, table: str, columns: list[str], buffer: io.StringIO) -> None:
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    # --- units ---------------------------------------------------------------------------

    def _units(self, commune_total: int) -> list[int]:
        since = datetime.date(2008, 1, 1)
        per_province = -(-commune_total // PROVINCES)
        districts_per_province = 11
        country = AdministrativeUnit.objects.create(
            kind="country",
            code=f"{PREFIX}-VN",
            name="Toàn quốc (dữ liệu tổng hợp)",
            slug="nat-vn",
            valid_from=since,
            note="Dữ liệu tổng hợp cho đo hiệu năng.",
        )
        provinces = AdministrativeUnit.objects.bulk_create(
            AdministrativeUnit(
                kind="province",
                parent=country,
                code=f"{PREFIX}-P{p:02d}",
                name=f"Tỉnh tổng hợp {p:02d}",
                slug=f"nat-p{p:02d}",
                valid_from=since,
                note="Dữ liệu tổng hợp cho đo hiệu năng.",
            )
            for p in range(1, PROVINCES + 1)
        )
        # District 1 of each province is a city holding a third of its communes (enough for a
        # 50-report bulk approval); the other districts share the rest.
        districts = AdministrativeUnit.objects.bulk_create(
            AdministrativeUnit(
                kind="city" if d == 1 else "district",
                code=f"{PREFIX}-P{p:02d}-D{d:02d}",
                name=f"Thành phố {d:02d} tỉnh {p:02d}" if d == 1 else f"Huyện {d:02d} tỉnh {p:02d}",
                slug=f"nat-p{p:02d}-d{d:02d}",
                parent=province,
                valid_from=since,
            )
            for p, province in enumerate(provinces, start=1)
            for d in range(1, districts_per_province + 1)
        )
        in_city = per_province // 3
        rest, others = per_province - in_city, districts_per_province - 1
        communes = []
        made = 0
        for index, district in enumerate(districts):
            p, d = divmod(index, districts_per_province)
            if d == 0:
                share = in_city
            else:
                share = rest // others + (1 if d - 1 < rest % others else 0)
            for c in range(1, share + 1):
                if made >= commune_total:
                    break
                made += 1
                communes.append(
                    AdministrativeUnit(
                        kind="commune" if c % 3 else "ward",
                        code=f"{PREFIX}-P{p + 1:02d}-D{d + 1:02d}-C{c:03d}",
                        name=f"Xã {c:03d} huyện {d + 1:02d} tỉnh {p + 1:02d}",
                        slug=f"nat-p{p + 1:02d}-d{d + 1:02d}-c{c:03d}",
                        parent=district,
                        valid_from=since,
                    )
                )
        created = AdministrativeUnit.objects.bulk_create(communes, batch_size=2000)
        self.province_ids = [p.pk for p in provinces]
        self.city_ids = {d.pk for d in districts if d.kind == "city"}
        self.district_of = {c.pk: c.parent_id for c in created}
        return [c.pk for c in created]

    # --- reports and values --------------------------------------------------------------

    def _reports(self, communes: list[int]) -> list[tuple[int, int, int]]:
        # Units report to the campaign of their parent (ReportingPeriod.objects.for_unit): one
        # campaign per district, a period per year, and the open year's period open today.
        district_ids = sorted(set(self.district_of.values()))
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                name=f"Phong trào ANTQ — đơn vị tổng hợp {i:03d}",
                slug=f"nat-campaign-{i:03d}",
                city_id=district_id,
                start_year=self.years[0],
            )
            for i, district_id in enumerate(district_ids, start=1)
        )
        periods = {}
        for campaign in campaigns:
            for year in self.years:
                periods[(campaign.city_id, year)] = ReportingPeriod(
                    campaign=campaign,
                    year=year,
                    opens_on=datetime.date(year, 1, 1),
                    due_on=datetime.date(year, 12, 15),
                    closes_on=datetime.date(year + 1, 1, 31),
                )
        ReportingPeriod.objects.bulk_create(periods.values())
        # The last year: 60% approved, 40% submitted, and no report yet in the cities, whose
        # communes the workflow benchmark fills, submits and approves.
        last = self.years[-1]
        rows = []
        for unit_id in communes:
            district_id = self.district_of[unit_id]
            for year in self.years:
                if year == last and district_id in self.city_ids:
                    continue
                status = "approved" if year < last or self.rng.random() < 0.6 else "submitted"
                rows.append((unit_id, periods[(district_id, year)].pk, year, status))
        now = self.now.isoformat()
        self._copy(
            UnitReport._meta.db_table,
            [
                "created_at",
                "updated_at",
                "period_id",
                "unit_id",
                "status",
                "version",
                "approval_step",
                "first_submitted_at",
                "submitted_at",
                "approved_at",
                "return_reason",
            ],
            (
                (
                    now,
                    now,
                    period_id,
                    unit_id,
                    status,
                    3,
                    1 if status == "approved" else 0,  # one approval level gave it
                    now,
                    now,
                    now if status == "approved" else None,
                    "",
                )
                for unit_id, period_id, _year, status in rows
            ),
        )
        return list(
            UnitReport.objects.filter(unit_id__in=communes).values_list(
                "pk", "unit_id", "period__year"
            )
        )

    def _values(self, reports: list[tuple[int, int, int]]) -> None:
        indicators = list(
            Indicator.objects.filter(reporter="commune_level").values_list(
                "pk", "code", "value_type"
            )
        )
        # left ≤ right for each "lte" rule, applied twice so chains (a ≤ b ≤ c) hold too.
        lte = [
            (left, right)
            for left, right in ValidationRule.objects.filter(operator="lte").values_list(
                "left_id", "right_id"
            )
        ] * 2
        rng, now = self.rng, self.now.isoformat()
        first = self.years[0]

        def rows():
            for report_id, _unit_id, year in reports:
                trend = 1 - 0.03 * (year - first)
                values = {}
                for indicator_id, code, value_type in indicators:
                    if value_type == "percentage":
                        values[indicator_id] = round(rng.uniform(40, 100), 2)
                    else:
                        base = 4 if "death" in code or "injur" in code else 20
                        values[indicator_id] = max(0, int(rng.gauss(base * trend, base / 4)))
                for left, right in lte:
                    if left in values and right in values and values[left] > values[right]:
                        values[left] = values[right]
                for indicator_id, value in values.items():
                    yield (report_id, indicator_id, value, "", now)

        self._copy(
            "campaigns_reportvalue",
            ["report_id", "indicator_id", "value", "comment", "updated_at"],
            rows(),
        )

    # --- aggregates ----------------------------------------------------------------------

    def _aggregates(self) -> int:
        """The synthetic units' aggregates, as campaigns.aggregates.rebuild() would make them,
        but in SQL: the districts' rows from the values (one pass over them), then each level
        above from the rows of the level below. Only commune-level units report here."""
        table = IndicatorAggregate._meta.db_table
        by_district = f"""
            INSERT INTO {table} (area_id, year, indicator_id, basis, total, value_count, maximum)
            SELECT g.area_id, g.year, g.indicator_id, b.basis,
                   SUM(g.total), SUM(g.n), MAX(g.top)
            FROM (
                SELECT u.parent_id AS area_id, p.year, v.indicator_id, r.status,
                       SUM(v.value) AS total, COUNT(*) AS n, MAX(v.value) AS top
                FROM campaigns_reportvalue v
                JOIN campaigns_unitreport r ON r.id = v.report_id
                JOIN campaigns_reportingperiod p ON p.id = r.period_id
                JOIN wards_administrativeunit u ON u.id = r.unit_id
                WHERE u.code LIKE %s AND v.value IS NOT NULL
                  AND r.status IN ('approved', 'submitted')
                GROUP BY 1, 2, 3, 4
            ) g
            JOIN (VALUES ('approved', 'approved'), ('submitted', 'approved'),
                         ('submitted', 'submitted')) AS b (basis, status)
              ON b.status = g.status
            GROUP BY 1, 2, 3, 4
        """  # noqa: S608 - the table name from the model, values as parameters
        roll_up = f"""
            INSERT INTO {table} (area_id, year, indicator_id, basis, total, value_count, maximum)
            SELECT u.parent_id, a.year, a.indicator_id, a.basis,
                   SUM(a.total), SUM(a.value_count), MAX(a.maximum)
            FROM {table} a JOIN wards_administrativeunit u ON u.id = a.area_id
            WHERE u.kind IN %s AND u.code LIKE %s AND u.parent_id IS NOT NULL
            GROUP BY 1, 2, 3, 4
        """  # noqa: S608 - the table name from the model, values as parameters
        synthetic = f"{PREFIX}-%"
        with connection.cursor() as cursor:
            cursor.execute(by_district, [synthetic])
            rows = cursor.rowcount
            # Districts and cities roll up into provinces, provinces into the country.
            for kinds in (("district", "city"), ("province",)):
                cursor.execute(roll_up, [kinds, synthetic])
                rows += cursor.rowcount
        return rows

    # --- organisations and their yearly dossiers -----------------------------------------

    def _organizations_and_dossiers(self, communes: list[int], total: int) -> None:
        kinds = ["agency", "enterprise", "school"]
        levels = ["primary", "lower_secondary", "upper_secondary", "kindergarten"]
        sizes = ["micro", "small", "medium", "large"]
        now = self.now.isoformat()
        self._copy(
            "wards_organization",
            [
                "created_at",
                "updated_at",
                "unit_id",
                "kind",
                "name",
                "school_level",
                "enterprise_size",
                "is_armed_forces",
                "address",
                "is_active",
            ],
            (
                (
                    now,
                    now,
                    communes[i % len(communes)],
                    kinds[i % 3],
                    f"Tổ chức tổng hợp {i:06d}",
                    levels[i % 4] if i % 3 == 2 else "",
                    sizes[i % 4] if i % 3 == 1 else "",
                    "f",
                    "",
                    "t",
                )
                for i in range(total)
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, unit_id FROM wards_organization WHERE name LIKE 'Tổ chức tổng hợp %%'"
            )
            orgs = cursor.fetchall()
        rule_sets = {rs.code: rs.pk for rs in RuleSet.objects.filter(subject="antt_safe")}
        tt23, tt124 = rule_sets["tt-23-2012-antt"], rule_sets["tt-124-2021-antt"]
        rng = self.rng

        def rows():
            for org_id, unit_id in orgs:
                for year in self.years:
                    met = rng.random() < 0.7
                    yield (
                        now,
                        now,
                        "organization",
                        unit_id,
                        None,
                        None,
                        org_id,
                        "antt_safe",
                        year,
                        tt23 if year <= 2021 else tt124,
                        "decided",
                        f"{year}-02-15",
                        "",
                        "",
                        "met" if met else "not_met",
                        "met" if met else "not_met",
                        f"QĐ {org_id}/{year}",
                        f"{year}-11-25",
                        "UBND xã",
                        f"GCN-{org_id}-{year}" if met else "",
                        1,  # decided once
                    )
            for unit_id in communes:
                for year in self.years:
                    met = rng.random() < 0.85
                    yield (
                        now,
                        now,
                        "unit",
                        unit_id,
                        unit_id,
                        None,
                        None,
                        "antt_safe",
                        year,
                        tt23 if year <= 2021 else tt124,
                        "decided",
                        f"{year}-02-15",
                        "",
                        "",
                        "met" if met else "not_met",
                        "met" if met else "not_met",
                        f"QĐ X{unit_id}/{year}",
                        f"{year}-12-10",
                        "UBND huyện",
                        f"GCN-X{unit_id}-{year}" if met else "",
                        1,  # decided once: the version a later decision is checked against
                    )

        self._copy(
            "certifications_dossier",
            [
                "created_at",
                "updated_at",
                "holder_type",
                "unit_id",
                "holder_unit_id",
                "residential_area_id",
                "organization_id",
                "kind",
                "year",
                "rule_set_id",
                "status",
                "registered_on",
                "note",
                "return_note",
                "proposed_result",
                "result",
                "decision_number",
                "decision_date",
                "issuing_body",
                "certificate_number",
                "version",
            ],
            rows(),
        )

    # --- crime-prevention models and their sites -----------------------------------------

    def _sites(self, communes: list[int], total: int) -> None:
        per_unit = -(-total // len(communes))
        models = PreventionModel.objects.bulk_create(
            PreventionModel(
                name=f"Mô hình tổng hợp {m:02d}",
                slug=f"nat-model-{m:02d}",
                category="camera" if m == 1 else "self_management",
                lead_organisation="police",
                origin_unit_id=communes[0],
                start_date=datetime.date(self.years[0] - 1, 1, 1),
            )
            for m in range(1, per_unit + 1)
        )
        now = self.now.isoformat()
        start = datetime.date(self.years[0], 3, 1).isoformat()

        def rows():
            made = 0
            for unit_id in communes:
                for model in models:
                    if made >= total:
                        return
                    made += 1
                    yield (
                        now,
                        now,
                        model.pk,
                        unit_id,
                        "",
                        start,
                        120,
                        30,
                        3,
                        8 if model.category == "camera" else 0,
                        0,
                        50_000_000,
                        "active",
                        "",
                        "",
                    )

        self._copy(
            "models_registry_modelsite",
            [
                "created_at",
                "updated_at",
                "model_id",
                "unit_id",
                "decision_number",
                "start_date",
                "households",
                "members",
                "teams",
                "cameras",
                "funding_state",
                "funding_socialized",
                "status",
                "retire_reason",
                "note",
            ],
            rows(),
        )
