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
from campaigns.dashboard.reports import indicator_rows
from campaigns.dashboard.selectors import (
    Query,
    by_member,
    completeness_dict,
    indicator_catalogue,
    reports_of,
    scope_of,
    series,
    summary,
)
from wards.api import router as notifications_router

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
    units: list[UnitValues]


def _num(value: Decimal | None, indicator=None) -> float | int | None:
    """A JSON number: counts (whole-number indicators) as integers, shares and amounts with
    their decimals (a float even when whole); without an indicator, by the value itself."""
    if value is None:
        return None
    if indicator is not None:
        if indicator.value_type == indicator.ValueType.INTEGER:
            return int(value.to_integral_value())
        return float(round(value, 2))
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def _query(request: HttpRequest) -> Query:
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
    return summary(_query(request)).as_dict()


@api.get(
    "/series/",
    response={200: SeriesOut, 400: Error, 403: Error},
    summary="Every indicator by year over the scope",
    description=PARAMS_DOC,
)
def series_view(request: HttpRequest):
    # Only the series: the headline counts (certifications, registry) are not needed here.
    query = _query(request)
    catalogue = indicator_catalogue()
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


@api.get(
    "/units/",
    response={200: UnitsOut, 400: Error, 403: Error},
    summary="Period values by ward/commune (units rolled up as of `as_of`)",
    description=PARAMS_DOC,
    by_alias=True,
)
def units_view(request: HttpRequest):
    query = _query(request)
    catalogue = indicator_catalogue()
    scope = scope_of(query.unit, query.as_of)
    values = by_member(query, scope, catalogue, list(catalogue))
    return {
        "unit": query.unit.slug,
        "from": query.year_from,
        "to": query.year_to,
        "as_of": query.as_of.isoformat(),
        "basis": query.basis,
        "completeness": completeness_dict(query, reports_of(query, scope=scope)),
        "units": [
            {
                "unit": m.slug,
                "name": m.name,
                "values": {code: _num(v, catalogue[code]) for code, v in values[m.pk].items()},
            }
            for m in scope.members
        ],
    }


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
