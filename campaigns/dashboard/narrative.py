"""The period review's narrative paragraph, built from the numbers and honest about them.

Each sentence is chosen by what the data shows: "giảm hằng năm" only when every year is lower
than the one before; otherwise the sentence says what really happened.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Trend:
    kind: str  # "falling_every_year" | "lower_overall" | "not_lower" | "insufficient"
    first: Decimal | None = None
    last: Decimal | None = None
    rises_in: tuple[int, ...] = ()


def trend(series: dict[int, Decimal | None]) -> Trend:
    """Classify a year → value series over consecutive years."""
    years = sorted(series)
    values = [series[y] for y in years]
    if len(years) < 2 or any(v is None for v in values):
        return Trend("insufficient")
    rises = tuple(years[i] for i in range(1, len(years)) if values[i] >= values[i - 1])
    if not rises:
        return Trend("falling_every_year", values[0], values[-1])
    if values[-1] < values[0]:
        return Trend("lower_overall", values[0], values[-1], rises)
    return Trend("not_lower", values[0], values[-1], rises)


def _n(value, decimals: int = 0) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years)


def crime_sentence(series: dict[int, Decimal | None]) -> str:
    t = trend(series)
    if t.kind == "falling_every_year":
        return _(
            "crimes against social order fell every year, from %(first)s cases in %(y1)s to "
            "%(last)s in %(y2)s"
        ) % {"first": _n(t.first), "last": _n(t.last), "y1": min(series), "y2": max(series)}
    if t.kind == "lower_overall":
        return _(
            "crimes against social order went down from %(first)s cases in %(y1)s to %(last)s in "
            "%(y2)s, but not every year (they did not fall in %(years)s)"
        ) % {
            "first": _n(t.first),
            "last": _n(t.last),
            "y1": min(series),
            "y2": max(series),
            "years": _years(t.rises_in),
        }
    if t.kind == "not_lower":
        return _(
            "crimes against social order did not go down: %(first)s cases in %(y1)s, %(last)s in "
            "%(y2)s"
        ) % {"first": _n(t.first), "last": _n(t.last), "y1": min(series), "y2": max(series)}
    return _("there are not enough approved figures to say how crimes against social order changed")


def hotspot_sentence(series: dict[int, Decimal | None]) -> str:
    values = [series[y] for y in sorted(series)]
    total = sum((v for v in values if v is not None), Decimal(0))
    if values and all(v is not None and v > 0 for v in values):
        return _(
            "hotspots of social evils were found and dismantled every year (%(total)s in all)"
        ) % {"total": _n(total)}
    years = [y for y in sorted(series) if not series[y]]
    return _(
        "%(total)s hotspots of social evils were dismantled; none was reported in %(years)s"
    ) % {
        "total": _n(total),
        "years": _years(tuple(years)),
    }


def paragraph(summary) -> str:
    """The narrative for a :class:`campaigns.dashboard.selectors.PeriodSummary`."""
    parts = [
        _("From %(y1)s to %(y2)s, %(scope)s:")
        % {
            "y1": summary.year_from,
            "y2": summary.year_to,
            "scope": summary.scope_name,
        }
    ]
    clauses = [crime_sentence(summary.series.get("criminal_cases", {}))]
    clauses.append(hotspot_sentence(summary.series.get("social_evil_hotspots_dismantled", {})))
    clauses.append(
        _("%(x)s/%(y)s wards and communes were recognised as “Safe in security and order”")
        % {
            "x": _n(summary.units_antt_certified),
            "y": _n(summary.units_total),
        }
    )
    clauses.append(
        _("%(n)s agencies, enterprises and schools earned the “Safe in security and order” title")
        % {"n": _n(summary.organizations_antt_certified)}
    )
    clauses.append(
        _(
            "%(w)s wards kept the “civilised urban ward” standard and %(c)s communes the "
            "“new rural "
            "culture” standard"
        )
        % {
            "w": _n(summary.wards_civilized_urban),
            "c": _n(summary.communes_new_rural_culture),
        }
    )
    clauses.append(
        _("%(n)s crime-prevention models were running (%(s)s sites)")
        % {
            "n": _n(summary.prevention_models),
            "s": _n(summary.prevention_model_sites),
        }
    )
    clauses.append(
        _("%(n)s offenders were detected and handled") % {"n": _n(summary.offenders_handled)}
    )
    if summary.police_university_share is not None:
        clauses.append(
            _("%(share)s%% of the city police officers hold a university degree (%(year)s)")
            % {
                "share": _n(summary.police_university_share, 1),
                "year": summary.year_to,
            }
        )
    return parts[0] + " " + "; ".join(clauses) + "."
