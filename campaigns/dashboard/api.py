"""Read-only JSON API, ``/api/v1/``: the dashboard's numbers, from the same selectors.

Authenticated by the session (the intranet's browsers and scripts that log in), scoped like the
pages: an official gets their own unit only. Bad parameters get a 400 with a JSON error naming
them; a unit outside the caller's scope gets a 403. The OpenAPI schema is at
``/api/v1/openapi.json``.
"""

from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from campaigns.dashboard import maps
from campaigns.dashboard.forms import PeriodForm
from campaigns.dashboard.reports import cached_catalogue, cached_summary, indicator_rows, query_key
from campaigns.dashboard.selectors import (
    MAX_LISTED_UNITS,
    Query,
    by_member,
    completeness_dict,
    indicator_catalogue,
    reports_of,
    scope_of,
    series,
)
from wards import figures
from wards.api import router as notifications_router
from wards.numbers import json_number

api = NinjaAPI(
    title="ANTQ Mỹ Tho API",
    version="1",
    description=(
        "Figures of the movement “Toàn dân bảo vệ an ninh Tổ quốc”, read-only. "
        "Flows are summed over the period; certification and model counts are as of the last "
        "year. Only approved reports count unless submitted=1."
    ),
    auth=django_auth,
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/notifications/", notifications_router)


class Error(Schema):
    error: str
    fields: dict[str, list[str]] = {}


class YearCompleteness(Schema):
    expected: int
    approved: int
    submitted: int
    complete: bool


class SummaryOut(Schema):
    unit: str
    from_: int = Field(..., alias="from")
    to: int
    as_of: str
    basis: str
    units_total: int
    units_antt_certified: int
    organizations_antt_certified: int
    wards_civilized_urban: int
    communes_new_rural_culture: int
    prevention_models: int
    prevention_model_sites: int
    cameras: int
    offenders_handled: int | None
    hotspots_dismantled: int | None
    criminal_cases: int | None
    criminal_cases_previous_period: int | None
    criminal_cases_change_percent: float | None
    police_university_share: float | None = Field(
        None, description="Percent of city police officers with a university degree, last year"
    )
    reports_expected: int = Field(..., description="Reports expected over the period's years")
    reports_approved: int
    reports_submitted: int = Field(..., description="Submitted or approved (not sent back)")
    complete: bool = Field(
        ...,
        description="Every expected report of every year counts on the basis asked "
        "(approved; or submitted too with submitted=1)",
    )
    completeness: dict[str, YearCompleteness]


class IndicatorSeries(Schema):
    code: str
    name: str
    unit_of_measure: str
    aggregation: str
    period_aggregation: str
    values: dict[str, int | float | None]
    period: int | float | None


class SeriesOut(Schema):
    unit: str
    years: list[int]
    basis: str
    completeness: dict[str, YearCompleteness] = Field(
        ..., description="Per year: reports expected, approved, submitted; complete or not"
    )
    indicators: list[IndicatorSeries]


class UnitValues(Schema):
    unit: str
    name: str
    values: dict[str, int | float | None]


class UnitsOut(Schema):
    unit: str
    from_: int = Field(..., alias="from")
    to: int
    as_of: str
    basis: str
    completeness: dict[str, YearCompleteness] = Field(
        ..., description="Per year: reports expected, approved, submitted; complete or not"
    )
    count: int = Field(..., description="Wards/communes in the scope, over all pages")
    limit: int
    offset: int
    next: str | None = Field(None, description="Address of the next page; null on the last")
    units: list[UnitValues]


UNITS_PAGE, UNITS_PAGE_MAX = 100, 500


def _num(value: Decimal | None, indicator=None) -> float | int | None:
    """A JSON number: counts (whole-number indicators) as integers, shares and amounts with
    their decimals (a float even when whole); without an indicator, by the value itself."""
    integer = None if indicator is None else indicator.value_type == indicator.ValueType.INTEGER
    return json_number(value, integer=integer)


def _query(request: HttpRequest) -> Query:
    # The version first (read once per request): the scope check then takes the user's ground
    # from the figures cache.
    figures.current()
    form = PeriodForm(request.GET, user=request.user)
    if not form.is_valid():
        status = 403 if form.forbidden else 400
        raise ApiError(status, form)
    return form.query()


class ApiError(Exception):
    def __init__(self, status: int, form: PeriodForm):
        self.status, self.form = status, form


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    fields = exc.form.errors_as_text()
    first = next(iter(fields.values()))[0] if fields else "Bad request"
    return api.create_response(request, {"error": first, "fields": fields}, status=exc.status)


class FieldError(Exception):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message


@api.exception_handler(FieldError)
def _field_error(request, exc: FieldError):
    return api.create_response(
        request, {"error": exc.message, "fields": {exc.field: [exc.message]}}, status=400
    )


class PlainApiError(Exception):
    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body


@api.exception_handler(PlainApiError)
def _plain_api_error(request, exc: PlainApiError):
    return api.create_response(request, exc.body, status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"error": str(exc), "fields": {}}, status=exc.status_code)


PARAMS_DOC = (
    "Query parameters: from, to (years, from ≤ to), unit (slug; default: your unit or city), "
    "as_of (YYYY-MM-DD, default 31/12 of `to`), submitted (1 to count submitted reports too)."
)


@api.get(
    "/summary/",
    response={200: SummaryOut, 400: Error, 403: Error},
    summary="Headline figures of a period",
    description=PARAMS_DOC,
    by_alias=True,
)
def summary_view(request: HttpRequest):
    query = _query(request)
    version = figures.current()
    return cached_summary(query, cached_catalogue(version), version).as_dict()


@api.get(
    "/series/",
    response={200: SeriesOut, 400: Error, 403: Error},
    summary="Every indicator by year over the scope",
    description=PARAMS_DOC,
)
def series_view(request: HttpRequest):
    query = _query(request)
    version = figures.current()
    catalogue = cached_catalogue(version)
    return figures.cached(
        "api-series", query_key(query), lambda: _series(query, catalogue), version=version
    )


def _series(query: Query, catalogue) -> dict:
    # Only the series: the headline counts (certifications, registry) are not needed here.
    scope = scope_of(query.unit, query.as_of)
    yearly = series(query, scope, catalogue)
    return {
        "unit": query.unit.slug,
        "years": query.years,
        "basis": query.basis,
        "completeness": completeness_dict(query, reports_of(query, scope=scope)),
        "indicators": [
            {
                "code": row["indicator"].code,
                "name": row["indicator"].name,
                "unit_of_measure": row["indicator"].unit_of_measure,
                "aggregation": row["indicator"].aggregation,
                "period_aggregation": row["indicator"].period_aggregation,
                "values": {
                    str(y): _num(v, row["indicator"])
                    for y, v in zip(query.years, row["values"], strict=True)
                },
                "period": _num(row["period"], row["indicator"]),
            }
            for row in indicator_rows(query.years, yearly, catalogue)
        ],
    }


def _page(request: HttpRequest) -> tuple[int, int]:
    """``limit`` (1–500, default 100) and ``offset`` (≥ 0) of a list, or a 400 naming them."""
    errors: dict[str, list[str]] = {}
    values = {}
    for name, default, low, high in [
        ("limit", UNITS_PAGE, 1, UNITS_PAGE_MAX),
        ("offset", 0, 0, None),
    ]:
        raw = request.GET.get(name, "")
        try:
            value = int(raw) if raw != "" else default
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            errors[name] = [
                gettext("%(name)s must be a whole number from %(low)s to %(high)s.")
                % {"name": name, "low": low, "high": high}
                if high is not None
                else gettext("%(name)s must be a whole number, %(low)s or more.")
                % {"name": name, "low": low}
            ]
        values[name] = value
    if errors:
        first = next(iter(errors.values()))[0]
        raise PlainApiError(400, {"error": first, "fields": errors})
    return values["limit"], values["offset"]


@api.get(
    "/units/",
    response={200: UnitsOut, 400: Error, 403: Error, 413: Error},
    summary="Period values by ward/commune (units rolled up as of `as_of`), a page at a time",
    description=PARAMS_DOC
    + f" Pages: limit (1–{UNITS_PAGE_MAX}, default {UNITS_PAGE}), offset. A scope of more than "
    f"{MAX_LISTED_UNITS} wards/communes (a whole country) gets a 413: ask for a province or a "
    "district.",
    by_alias=True,
)
def units_view(request: HttpRequest):
    query = _query(request)
    limit, offset = _page(request)
    scope = scope_of(query.unit, query.as_of)
    listed = scope.listed_count()
    if listed > MAX_LISTED_UNITS:
        message = gettext(
            "%(unit)s has %(n)s wards and communes; per-unit figures are given for at most "
            "%(max)s at a time. Ask for a province or a district (unit=…), or use "
            "/api/v1/summary/ and /api/v1/series/ for the whole scope."
        ) % {"unit": query.unit.name, "n": listed, "max": MAX_LISTED_UNITS}
        raise PlainApiError(413, {"error": message, "fields": {"unit": [message]}})
    version = figures.current()
    catalogue = cached_catalogue(version)

    def compute() -> dict:
        members = scope.members
        page = members[offset : offset + limit]
        values = by_member(query, scope, catalogue, list(catalogue), [m.pk for m in page])
        return {
            "unit": query.unit.slug,
            "from": query.year_from,
            "to": query.year_to,
            "as_of": query.as_of.isoformat(),
            "basis": query.basis,
            "completeness": completeness_dict(query, reports_of(query, scope=scope)),
            "count": len(members),
            "limit": limit,
            "offset": offset,
            "has_next": offset + limit < len(members),
            "units": [
                {
                    "unit": m.slug,
                    "name": m.name,
                    "values": {code: _num(v, catalogue[code]) for code, v in values[m.pk].items()},
                }
                for m in page
            ],
        }

    data = dict(
        figures.cached("api-units", (*query_key(query), limit, offset), compute, version=version)
    )
    if data.pop("has_next"):
        params = request.GET.copy()
        params["offset"] = str(offset + limit)
        params["limit"] = str(limit)
        data["next"] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    else:
        data["next"] = None
    return data


class GeoFeature(Schema):
    type: str
    id: str
    geometry: dict | None
    properties: dict


class GeoOut(Schema):
    type: str
    bbox: list[float] | None
    properties: dict
    features: list[GeoFeature]


@api.get(
    "/units/geo/",
    response={200: GeoOut, 400: Error, 403: Error},
    summary="The units of the scope as GeoJSON, each with its figure for one indicator",
    description=(
        PARAMS_DOC + " indicator: an indicator code (default offenders_handled). Returns a GeoJSON "
        "FeatureCollection (RFC 7946, longitude/latitude): one feature per ward/commune as of "
        "`as_of`, with `value` (plain number or null), `label` (Vietnamese format) and `colour` "
        "(the map's class) in `properties`; a unit with no boundary on that date has a null "
        "geometry. Outlines marked `illustrative` are drawings, not surveyed boundaries. "
        "`properties.completeness` gives, per year, the expected reports and how many are in."
    ),
)
def units_geo_view(request: HttpRequest):
    query = _query(request)
    catalogue = indicator_catalogue()
    code = request.GET.get("indicator") or maps.DEFAULT_INDICATOR
    if code not in catalogue:
        raise FieldError("indicator", gettext("Unknown indicator “%(code)s”.") % {"code": code})
    scope = scope_of(query.unit, query.as_of)
    result = maps.unit_map(query, scope, catalogue, code)
    if result.too_many:
        raise FieldError(
            "unit",
            gettext("More than %(n)s units: ask for a city, a district or a ward.")
            % {"n": maps.MAX_UNITS},
        )
    collection = result.feature_collection()
    # As /units/: which years of the period have all their expected reports in.
    collection["properties"]["completeness"] = completeness_dict(
        query, reports_of(query, scope=scope)
    )
    return collection
