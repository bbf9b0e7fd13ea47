"""The period review's narrative paragraph, built from the numbers and honest about them.

Each sentence is chosen by what the data shows: "giảm hằng năm" only when every year is lower
than the one before; otherwise the sentence says what really happened. A year whose expected
reports are not all in is named as such in every clause that counts it, and no trend ("giảm hằng
năm", "năm nào cũng", "giữ vững") is read into it.
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


def _only(series: dict[int, Decimal | None], years: list[int] | None) -> dict:
    """The series restricted to ``years`` (the complete ones), or whole when None."""
    if years is None:
        return series
    return {y: v for y, v in series.items() if y in years}


def _consecutive(years: list[int]) -> bool:
    return all(b == a + 1 for a, b in zip(years, years[1:], strict=False))


def crime_sentence(
    series: dict[int, Decimal | None], complete_years: list[int] | None = None
) -> str:
    """How crimes went, said only over ``complete_years`` (every year when None): a trend is
    never read into a year whose reports are not all in."""
    restricted = complete_years is not None and set(series) - set(complete_years)
    series = _only(series, complete_years)
    t = trend(series) if _consecutive(sorted(series)) else Trend("insufficient")
    if t.kind == "falling_every_year" and restricted:
        # Said of the complete years only, in words that cannot be read as the whole period.
        return _(
            "in the years whose reports are all in (%(y1)s–%(y2)s), crimes against social order "
            "fell from one year to the next, from %(first)s to %(last)s cases"
        ) % {"first": _n(t.first), "last": _n(t.last), "y1": min(series), "y2": max(series)}
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


def hotspot_sentence(
    series: dict[int, Decimal | None], complete_years: list[int] | None = None
) -> str:
    """Hotspots dismantled in all; "every year" only when every year is complete and has some."""
    values = [series[y] for y in sorted(series)]
    total = sum((v for v in values if v is not None), Decimal(0))
    complete = _only(series, complete_years)
    every_year = len(complete) == len(series) and all(
        v is not None and v > 0 for v in complete.values()
    )
    if values and every_year:
        return _(
            "hotspots of social evils were found and dismantled every year (%(total)s in all)"
        ) % {"total": _n(total)}
    years = [y for y in sorted(complete) if not complete[y]]
    if not years:
        return _("%(total)s hotspots of social evils were dismantled") % {"total": _n(total)}
    return _(
        "%(total)s hotspots of social evils were dismantled; none was reported in %(years)s"
    ) % {
        "total": _n(total),
        "years": _years(tuple(years)),
    }


def titles_sentence(
    kind: str, before: int, now: int, year_before: int, year: int, comparable: bool
) -> str:
    """Wards' or communes' culture titles: kept, rose or fell, as the two years' counts say;
    without a comparable earlier year, only the count."""
    names = {
        "ward": _("wards meeting the “civilised urban ward” standard"),
        "commune": _("communes meeting the “new rural culture” standard"),
    }
    values = {"what": names[kind], "a": _n(before), "b": _n(now), "y1": year_before, "y2": year}
    if not comparable:
        return _("%(b)s %(what)s in %(y2)s") % values
    if now == before:
        return _("kept %(b)s %(what)s (%(y1)s and %(y2)s)") % values
    if now > before:
        return _("%(b)s %(what)s in %(y2)s, up from %(a)s in %(y1)s") % values
    return _("%(b)s %(what)s in %(y2)s, down from %(a)s in %(y1)s") % values


def _with_note(clause: str, note: str) -> str:
    return f"{clause} ({note})" if note else clause


def exemplary_sentence(items, units_total: int) -> str:
    """The exemplary models, where they run, and "xã hội hóa" when contributions paid for them."""
    parts = []
    for item in items:
        if item.units_covered == 1:
            where = item.unit_names[0]
        else:
            where = _("%(x)s/%(y)s wards and communes") % {
                "x": _n(item.units_covered),
                "y": _n(units_total),
            }
        if item.mostly_socialized:
            where = _("%(where)s, funded by contributions (xã hội hóa)") % {"where": where}
        parts.append(f"“{item.model.name}” ({where})")
    return _("the exemplary models: %(models)s") % {"models": ", ".join(parts)}


def paragraph(summary, notes: dict[int, str] | None = None) -> str:
    """The narrative for a :class:`campaigns.dashboard.selectors.Summary`.

    ``notes`` gives the words for each incomplete year ("năm 2021 chưa đầy đủ: 4/18 báo cáo đã
    duyệt"): every clause that counts such a year carries them, and no trend reads into it.
    """
    notes = notes or {}
    period_note = "; ".join(notes[y] for y in sorted(notes))
    last_note = notes.get(summary.year_to, "")
    complete_years = [y for y in summary.query.years if y not in notes]
    intro = _("From %(y1)s to %(y2)s, %(scope)s:") % {
        "y1": summary.year_from,
        "y2": summary.year_to,
        "scope": summary.scope_name,
    }
    clauses = [
        _with_note(
            crime_sentence(summary.series.get("criminal_cases", {}), complete_years), period_note
        ),
        _with_note(
            hotspot_sentence(
                summary.series.get("social_evil_hotspots_dismantled", {}), complete_years
            ),
            period_note,
        ),
        _with_note(
            _("%(x)s/%(y)s wards and communes were recognised as “Safe in security and order”")
            % {"x": _n(summary.units_antt_certified), "y": _n(summary.units_total)},
            last_note,
        ),
        _with_note(
            _(
                "%(n)s agencies, enterprises and schools earned the “Safe in security and order” "
                "title"
            )
            % {"n": _n(summary.organizations_antt_certified)},
            last_note,
        ),
    ]
    comparable = summary.year_complete(summary.titles_year) and not last_note
    for kind, before, now in [
        ("ward", summary.wards_civilized_urban_before, summary.wards_civilized_urban),
        ("commune", summary.communes_new_rural_culture_before, summary.communes_new_rural_culture),
    ]:
        if before or now:
            clauses.append(
                _with_note(
                    titles_sentence(
                        kind, before, now, summary.titles_year, summary.year_to, comparable
                    ),
                    last_note,
                )
            )
    clauses.append(
        _with_note(
            _("%(n)s crime-prevention models were running (%(s)s sites)")
            % {"n": _n(summary.prevention_models), "s": _n(summary.prevention_model_sites)},
            last_note,
        )
    )
    if summary.exemplary:
        clauses.append(exemplary_sentence(summary.exemplary, summary.units_total))
    clauses.append(
        _with_note(
            _("%(n)s offenders were detected and handled") % {"n": _n(summary.offenders_handled)},
            period_note,
        )
    )
    if summary.police_university_share is not None:
        clauses.append(
            _with_note(
                _("%(share)s%% of the city police officers hold a university degree (%(year)s)")
                % {"share": _n(summary.police_university_share, 1), "year": summary.year_to},
                last_note,
            )
        )
    return intro + " " + "; ".join(clauses) + "."
