"""Pages of the yearly reports: home, data entry, report, worklist, completeness, import.

Views stay thin: objects come through scoped querysets (another unit's report is a 404),
writes go through :mod:`campaigns.services`, reads through :mod:`campaigns.selectors`.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from campaigns import approvals, imports, permissions, selectors, services
from campaigns.checks import Entry, change_percent, report_problems
from campaigns.forms import (
    ImportUploadForm,
    ReasonForm,
    ReportValuesForm,
    VersionForm,
    display_number,
)
from campaigns.models import (
    ApprovalLevel,
    ImportBatch,
    ReportingPeriod,
    ReportStatus,
    UnitReport,
)
from campaigns.notifications import due_phrase
from wards.documents import document_context
from wards.models import AdministrativeUnit
from wards.numbers import parse_int
from wards.params import query_param
from wards.pdf import pdf_response
from wards.scoping import can_edit_unit


def _today():
    return timezone.localdate()


# --- home ----------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page, by role: an official's unit and what is due; city links; admin links."""
    user = request.user
    context: dict = {}
    today = _today()
    if permissions.reports_for_own_unit(user):
        unit = AdministrativeUnit.objects.select_related("parent").get(pk=user.unit_id)
        context["unit"] = unit
        context["residential_area_count"] = unit.residential_areas.count()
        context["organization_count"] = unit.organizations.filter(is_active=True).count()
        context["due_items"] = _due_items(unit, today)
    elif permissions.oversees_city_reports(user):
        context["city"] = user.unit
        # The wards and communes of the latest reporting year (the city may have been
        # reorganised since, as TP. Mỹ Tho was in 2025).
        period = selectors.default_period(selectors.periods_for(user), today)
        context["unit_count_year"] = period.year if period else today.year
        context["unit_count"] = (
            AdministrativeUnit.objects.visible_to(user)
            .commune_level()
            .valid_on(datetime.date(context["unit_count_year"], 12, 31))
            .count()
        )
        context["city_links"] = _city_links(user, period, today)
    return render(request, "campaigns/home.html", context)


def _due_items(unit: AdministrativeUnit, today) -> list[dict]:
    items = []
    for period in selectors.open_periods_for_unit(unit, today):
        report = selectors.report_or_blank(period, unit)
        if report.is_started:
            status, badge = report.get_status_display(), report.status_badge
        else:
            status, badge = gettext("Not started"), "light"
        url = (
            report.get_entry_url() if report.accepts_values_on(today) else report.get_absolute_url()
        )
        title = gettext("Report %(year)s — due %(due)s") % {
            "year": period.year,
            "due": period.due_on.strftime("%d/%m/%Y"),
        }
        if report.status == ReportStatus.RETURNED:
            title += " · " + gettext("returned: %(reason)s") % {"reason": report.return_reason}
        items.append(
            {
                "url": url,
                "title": title,
                "status": status,
                "badge": badge,
                **_countdown(report, today),
            }
        )
    return items


def _countdown(report: UnitReport, today) -> dict:
    """ "còn N ngày" / "quá hạn N ngày" while the report has never been submitted."""
    if report.first_submitted_at is not None or report.status not in UnitReport.EDITABLE_STATUSES:
        return {}
    return {
        "countdown": due_phrase(report.period.due_on, today),
        "overdue": today > report.period.due_on,
    }


def _city_links(user, period: ReportingPeriod | None, today) -> list[dict]:
    if period is None:
        return []
    links = []
    if permissions.can_review_reports(user):
        counts = selectors.status_counts(period, user)
        links.append(
            {
                "url": reverse("campaigns:worklist", args=[period.year]),
                "icon": "bi-check2-square",
                "title": gettext("Review reports %(year)s: %(count)s waiting for approval")
                % {"year": period.year, "count": counts[ReportStatus.SUBMITTED]},
            }
        )
        city = period.campaign.city
        # Only a city reports city-level indicators itself (a province organiser does not).
        if city.kind == AdministrativeUnit.Kind.CITY and selectors.indicators_for(
            city, period.year
        ):
            report = selectors.report_or_blank(period, city)
            links.append(
                {
                    "url": report.get_entry_url()
                    if report.accepts_values_on(today)
                    else report.get_absolute_url(),
                    "icon": "bi-building",
                    "title": gettext("City report %(year)s (%(status)s)")
                    % {
                        "year": period.year,
                        "status": report.get_status_display()
                        if report.is_started
                        else gettext("Not started"),
                    },
                }
            )
    links.append(
        {
            "url": reverse("campaigns:completeness", args=[period.year]),
            "icon": "bi-clipboard-data",
            "title": gettext("Reporting progress %(year)s") % {"year": period.year},
        }
    )
    return links


# --- helpers -------------------------------------------------------------------------------


def _unit_period(request: HttpRequest, year: int, slug: str):
    """The unit (404 unless visible to the user) and its period of ``year`` (404 if none)."""
    unit = get_object_or_404(
        AdministrativeUnit.objects.visible_to(request.user).select_related(
            "parent", "parent__parent", "parent__parent__parent"
        ),
        slug=slug,
    )
    period = selectors.period_for_unit(unit, year)
    if period is None:
        raise Http404(gettext("No reporting period for this year."))
    return unit, period


def _user_period(request: HttpRequest, year: int | None) -> tuple[ReportingPeriod, list]:
    periods = selectors.periods_for(request.user)
    if year is None:
        period = selectors.default_period(periods, _today())
    else:
        period = next((p for p in periods if p.year == year), None)
    if period is None:
        raise Http404(gettext("No reporting period for this year."))
    return period, periods


# --- an official's list -------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """Officials: their unit's reports by year. City roles go to their own overview."""
    user = request.user
    if permissions.can_review_reports(user):
        return redirect("campaigns:worklist_current")
    if permissions.sees_reporting_progress(user):
        return redirect("campaigns:completeness_current")
    if user.unit_id is None:
        raise PermissionDenied
    unit = user.unit
    periods = selectors.periods_for(user)
    reports = {
        r.period_id: r
        for r in UnitReport.objects.visible_to(user).filter(unit=unit, period__in=periods)
    }
    today = _today()
    rows = []
    for period in periods:
        report = reports.get(period.pk) or UnitReport(period=period, unit=unit, version=0)
        report.period, report.unit = period, unit
        editable = report.accepts_values_on(today)
        rows.append(
            {
                "period": period,
                "report": report,
                "editable": editable,
                **(_countdown(report, today) if editable else {}),
            }
        )
    return render(request, "campaigns/report_list.html", {"unit": unit, "rows": rows})


# --- data entry ----------------------------------------------------------------------------


@login_required
def report_entry(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """The data-entry form of a unit's report: save as draft, or save and submit.

    A valid POST reads only what the services need (pinned in tests/campaigns/test_queries.py);
    the report and its stored values are read for the page, or when the form comes back."""
    unit, period = _unit_period(request, year, slug)
    if not can_edit_unit(request.user, unit):
        raise PermissionDenied
    entry = selectors.EntryContext(unit=unit, period=period)
    today = _today()
    conflicts, conflict_version = [], None
    if request.method == "POST":
        action = "submit" if request.POST.get("action") == "submit" else "save"
        blank = UnitReport(period=period, unit=unit, version=0)
        form = ReportValuesForm(request.POST, action=action, **_form_args(blank, entry, {}))
        valid = form.is_valid()
        if valid:
            try:
                return _save_entry(request, form, action, entry)
            except services.ConcurrentEdit as exc:
                messages.error(request, exc.message)
                conflicts, conflict_version = exc.conflicts, exc.current_version
            except services.ReportLocked as exc:
                messages.error(request, exc.message)
                return redirect(blank.get_absolute_url())
            except services.SubmissionBlocked as exc:
                messages.error(request, exc.message)
                form.blocking = exc.problems
            except ValidationError as exc:
                form.add_error(None, exc)
        report = selectors.report_or_blank(period, unit)
        if not report.accepts_values_on(today):
            messages.info(request, services.locked_message(report))
            return redirect(report.get_absolute_url())
        if not valid:
            messages.error(
                request,
                gettext("Nothing was saved: correct the fields marked in red.")
                if action == "save" or _has_type_errors(form)
                else gettext(
                    "The report was not submitted and nothing was saved: fix the "
                    "problems marked in red, or save it as a draft."
                ),
            )
        kwargs = _form_args(report, entry, selectors.entries_of(report))
        if conflict_version is not None:
            data = request.POST.copy()
            data["version"] = conflict_version
            form = ReportValuesForm(data, action="save", **kwargs)
            form.is_valid()
    else:
        report = selectors.report_or_blank(period, unit)
        if not report.accepts_values_on(today):
            messages.info(request, services.locked_message(report))
            return redirect(report.get_absolute_url())
        kwargs = _form_args(report, entry, selectors.entries_of(report))
        form = ReportValuesForm(**kwargs)
        problems = report_problems(**_check_args(kwargs))
        form.warnings = [p for p in problems if not p.blocks]
        if report.is_started:
            # A saved draft lists what would stop its submission, before anyone presses Submit.
            form.blocking = [p for p in problems if p.blocks]
    context = {
        "unit": unit,
        "period": period,
        "report": report,
        "form": form,
        "conflicts": conflicts,
        "remarks": selectors.latest_remarks(report),
    }
    return render(request, "campaigns/report_entry.html", context)


def _form_args(report: UnitReport, context: selectors.EntryContext, entries: dict) -> dict:
    return {
        "report": report,
        "indicators": context.indicators,
        "entries": entries,
        "last_year": context.last_year,
        "rules": context.rules,
    }


def _check_args(kwargs: dict) -> dict:
    return {key: kwargs[key] for key in ("indicators", "entries", "last_year", "rules")}


def _has_type_errors(form: ReportValuesForm) -> bool:
    kinds = {"required", "rule", "change"}
    return any(
        error.code not in kinds for errors in form.errors.as_data().values() for error in errors
    )


def _save_entry(
    request, form: ReportValuesForm, action: str, context: selectors.EntryContext
) -> HttpResponse:
    version = form.cleaned_data["version"]
    entries = form.entries()
    period, unit = context.period, context.unit
    if action == "submit":
        report = services.report_save_and_submit(
            period=period,
            unit=unit,
            user=request.user,
            entries=entries,
            expected_version=version,
            context=context,
        )
        messages.success(
            request,
            gettext("The %(year)s report of %(unit)s was submitted to %(approver)s for review.")
            % {
                "year": period.year,
                "unit": unit.name,
                "approver": approvals.chain_of(report)[0].name,
            },
        )
        return redirect(report.get_absolute_url())
    result = services.report_save_values(
        period=period,
        unit=unit,
        user=request.user,
        entries=entries,
        expected_version=version,
        context=context,
    )
    if result.changed:
        messages.success(
            request,
            gettext("Draft saved (%(count)s figures or comments changed).")
            % {"count": result.changed},
        )
    else:
        messages.info(request, gettext("Nothing had changed; the draft is as it was."))
    blocking = result.blocking_problems
    if blocking:
        messages.warning(
            request,
            ngettext(
                "%(count)s problem must be fixed before the report can be submitted: see the "
                "list above the form.",
                "%(count)s problems must be fixed before the report can be submitted: see the "
                "list above the form.",
                len(blocking),
            )
            % {"count": len(blocking)},
        )
    return redirect(result.report.get_entry_url())


# --- report page and review actions -------------------------------------------------------


@login_required
def report_detail(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """A report beside last year's, its warnings, its history and the review actions."""
    unit, period = _unit_period(request, year, slug)
    user = request.user
    report = selectors.report_or_blank(period, unit)
    indicators = selectors.indicators_for(unit, year)
    entries = selectors.entries_of(report)
    last_year = selectors.last_year_values(unit, year, indicators)
    problems = (
        report_problems(
            indicators=indicators,
            entries=entries,
            last_year=last_year,
            rules=selectors.active_rules(),
        )
        if report.is_started
        else []
    )
    by_indicator: dict[int, list] = {}
    for problem in problems:
        by_indicator.setdefault(problem.indicator_id, []).append(problem)
    sections: list[dict] = []
    blank = Entry(None)
    for indicator in indicators:
        if not sections or sections[-1]["section"].pk != indicator.section_id:
            sections.append({"section": indicator.section, "rows": []})
        entry = entries.get(indicator.pk, blank)
        last = last_year.get(indicator.pk)
        sections[-1]["rows"].append(
            {
                "indicator": indicator,
                "value": display_number(entry.value),
                "comment": entry.comment,
                "last_year": display_number(last),
                "change": change_percent(entry.value, last),
                "problems": by_indicator.get(indicator.pk, []),
            }
        )
    today = _today()
    # The approval chain of the report's year (one query), shown to everyone who sees it.
    chain = approvals.chain_of(report) if report.is_started else []
    pending = approvals.pending_step(report, chain) if chain else None
    can_review = pending is not None and approvals.may_decide(user, pending, today)
    can_reopen = report.status == ReportStatus.APPROVED and approvals.may_decide(
        user, chain[-1], today
    )
    context = {
        "unit": unit,
        "period": period,
        "report": report,
        "sections": sections,
        "problems": problems,
        "warnings": [p for p in problems if not p.blocks],
        "history": selectors.report_history(report),
        "can_edit": can_edit_unit(user, unit) and report.accepts_values_on(today),
        "can_review": can_review,
        "own_submission": report.submitted_by_id == user.pk,
        "can_reopen": can_reopen,
        "approval_chain": chain,
        "pending_step": pending,
        "version_form": VersionForm(initial={"version": report.version}),
        "return_form": ReasonForm(initial={"version": report.version}, prefix="return"),
        "reopen_form": ReasonForm(initial={"version": report.version}, prefix="reopen"),
        **document_context(
            unit=unit,
            issuer=gettext("Steering committee of the movement"),
            number="……/BC-BCĐ",
            signer_on_behalf=gettext("On behalf of the steering committee"),
            signer_title=gettext("Head of the committee"),
            recipients=[gettext("Standing office of the steering committee")],
        ),
        "remarks": selectors.latest_remarks(report),
    }
    if request.GET.get("format") == "pdf":
        return pdf_response(
            request, "campaigns/report_detail.html", context, f"bao-cao-{year}-{unit.slug}"
        )
    return render(request, "campaigns/report_detail.html", context)


def _report_for_action(request: HttpRequest, year: int, slug: str) -> UnitReport:
    return get_object_or_404(
        UnitReport.objects.visible_to(request.user).select_related(
            "period", "period__campaign", "unit__parent__parent__parent"
        ),
        period__in=ReportingPeriod.objects.filter(year=year),
        unit__slug=slug,
    )


def _run_action(request, report, action, **kwargs) -> UnitReport | None:
    """The report as the service left it, or None (with the reason flashed) if refused."""
    try:
        return action(report=report, user=request.user, **kwargs)
    except services.ConcurrentEdit as exc:
        messages.error(request, exc.message)
    except services.ReportError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return None


@login_required
@require_POST
def report_approve(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    report = _report_for_action(request, year, slug)
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The page was out of date; look at the report again."))
    elif done := _run_action(
        request, report, services.report_approve, expected_version=form.cleaned_data["version"]
    ):
        if done.status == ReportStatus.APPROVED:
            text = gettext("The %(year)s report of %(unit)s is approved.")
        else:
            text = gettext(
                "The %(year)s report of %(unit)s is approved at your level and goes on to the "
                "next approval level."
            )
        messages.success(request, text % {"year": year, "unit": report.unit.name})
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def report_return(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    report = _report_for_action(request, year, slug)
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST, prefix="return")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    elif _run_action(
        request,
        report,
        services.report_return,
        reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"],
        remarks=_remarks(request),
    ):
        messages.success(
            request,
            gettext("The report was returned to %(unit)s with your reason.")
            % {"unit": report.unit.name},
        )
    return redirect(report.get_absolute_url())


def _remarks(request: HttpRequest) -> dict[int, str]:
    """Remarks on single figures from the return form: ``remark-<indicator id>`` fields."""
    remarks = {}
    for name, text in request.POST.items():
        prefix, _sep, indicator_id = name.partition("-")
        if prefix == "remark" and indicator_id.isdigit() and text.strip():
            remarks[int(indicator_id)] = text.strip()[:2000]
    return remarks


@login_required
@require_POST
def report_reopen(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    report = _report_for_action(request, year, slug)
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST, prefix="reopen")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    elif _run_action(request, report, services.report_reopen, reason=form.cleaned_data["reason"]):
        messages.success(
            request,
            gettext("The report was reopened and sent back to %(unit)s.")
            % {"unit": report.unit.name},
        )
    return redirect(report.get_absolute_url())


# --- worklist and completeness -------------------------------------------------------------


# ?status=submitted|approved (the old ?trang-thai=cho-duyet|da-duyet links still work).
STATUS_FILTERS = {s.value: s for s in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)}
LEGACY_STATUS_FILTERS = {"cho-duyet": ReportStatus.SUBMITTED, "da-duyet": ReportStatus.APPROVED}


@login_required
def worklist(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Every expected unit of the year with its status, submission time and warnings."""
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied
    period, periods = _user_period(request, year)
    if year is None:
        return redirect("campaigns:worklist", year=period.year)
    rows = selectors.period_rows(period, request.user, _today())
    levels = list(ApprovalLevel.objects.valid_in(period.year))
    for row in rows:
        if row.status == ReportStatus.SUBMITTED:
            row.can_decide = approvals.may_review(request.user, row.report, levels)
    summary = selectors.Completeness(rows=rows)
    shown = query_param(request, "status", "trang-thai", default="")
    if shown in LEGACY_STATUS_FILTERS:
        shown = LEGACY_STATUS_FILTERS[shown].value
    if shown in STATUS_FILTERS:
        rows = [r for r in rows if r.status == STATUS_FILTERS[shown]]
    context = {
        "period": period,
        "periods": periods,
        "rows": rows,
        "summary": summary,
        "shown": shown,
        "clean_count": sum(1 for r in rows if r.is_clean),
    }
    return render(request, "campaigns/worklist.html", context)


@login_required
@require_POST
def bulk_approve(request: HttpRequest, year: int) -> HttpResponse:
    if not permissions.can_review_reports(request.user):
        raise PermissionDenied
    period, _periods = _user_period(request, year)
    selection: dict[int, int] = {}
    for item in request.POST.getlist("report"):
        report_id, _sep, version = item.partition(":")
        report_id, version = parse_int(report_id), parse_int(version)
        if report_id is None or version is None:
            raise BadRequest("report: id:version in digits 0-9 expected")
        selection[report_id] = version
    if not selection:
        messages.warning(request, gettext("Select the reports to approve."))
        return redirect("campaigns:worklist", year=year)
    result = services.reports_bulk_approve(period=period, user=request.user, selection=selection)
    if result.approved:
        messages.success(
            request,
            gettext("Approved %(count)s reports: %(units)s.")
            % {
                "count": len(result.approved),
                "units": ", ".join(r.unit.name for r in result.approved),
            },
        )
    for report, reason in result.skipped:
        messages.warning(
            request,
            gettext("Not approved: %(unit)s — %(reason)s.")
            % {"unit": report.unit.name, "reason": reason},
        )
    return redirect("campaigns:worklist", year=year)


@login_required
def completeness(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Expected, submitted and approved reports of a year, on time or late."""
    if not permissions.sees_reporting_progress(request.user):
        raise PermissionDenied
    period, periods = _user_period(request, year)
    if year is None:
        return redirect("campaigns:completeness", year=period.year)
    today = _today()
    summary = selectors.completeness(period, request.user, today)
    can_nudge = permissions.can_remind_units(request.user) and today > period.due_on
    return render(
        request,
        "campaigns/completeness.html",
        {
            "period": period,
            "periods": periods,
            "summary": summary,
            "today": today,
            "can_nudge": can_nudge,
            "nudged_today": selectors.nudged_on(period, today) if can_nudge else set(),
        },
    )


@login_required
@require_POST
def report_nudge(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """The approver's "Nhắc nhở" to one late unit (at most once a day)."""
    if not permissions.can_remind_units(request.user):
        raise PermissionDenied
    unit, period = _unit_period(request, year, slug)
    try:
        reached = services.report_nudge(period=period, unit=unit, user=request.user, today=_today())
    except services.ReportError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(unit)s was reminded (%(count)s person notified).",
                "%(unit)s was reminded (%(count)s people notified).",
                reached,
            )
            % {"unit": unit.name, "count": reached},
        )
    return redirect("campaigns:completeness", year=year)


# --- templates and import ------------------------------------------------------------------


def _file_response(content: bytes, filename: str, fmt: str) -> HttpResponse:
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _format(request: HttpRequest) -> str:
    return "csv" if query_param(request, "format", "dinh-dang") == "csv" else "xlsx"


@login_required
def template_unit(request: HttpRequest, year: int, slug: str) -> HttpResponse:
    """One unit's template for a year, filled with its current figures (also an export)."""
    unit, period = _unit_period(request, year, slug)
    rows = imports.template_rows(period, [unit])
    fmt = _format(request)
    filename = f"bao-cao-{year}-{unit.slug}.{fmt}"
    if fmt == "csv":
        return _file_response(imports.template_csv(rows), filename, fmt)
    title = f"Báo cáo năm {year} — {unit.name}"
    return _file_response(imports.template_xlsx(rows, title=title), filename, fmt)


@login_required
def template_city(request: HttpRequest, year: int) -> HttpResponse:
    """Every unit of the city in one template (approvers and administrators)."""
    if not permissions.imports_city_wide(request.user):
        raise PermissionDenied
    period, _periods = _user_period(request, year)
    units = selectors.expected_units(period, request.user)
    rows = imports.template_rows(period, units)
    fmt = _format(request)
    filename = f"bao-cao-{year}-{period.campaign.city.slug}-toan-bo.{fmt}"
    if fmt == "csv":
        return _file_response(imports.template_csv(rows), filename, fmt)
    title = f"Báo cáo năm {year} — {period.campaign.city.name} (tất cả đơn vị)"
    return _file_response(imports.template_xlsx(rows, title=title), filename, fmt)


@login_required
def import_upload(request: HttpRequest, year: int) -> HttpResponse:
    """Upload a filled template; it is checked and shown as a preview before anything is saved."""
    user = request.user
    period, _periods = _user_period(request, year)
    expected = selectors.expected_units(period, user)
    editable_ids = set(
        AdministrativeUnit.objects.editable_by(user)
        .filter(pk__in=[u.pk for u in expected])
        .values_list("pk", flat=True)
    )
    editable_units = [u for u in expected if u.pk in editable_ids]
    if not editable_units and not permissions.acts_on_every_unit(user):
        raise PermissionDenied
    wants_json = request.headers.get("x-requested-with") == "XMLHttpRequest"
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = imports.stage_upload(
                    upload=form.cleaned_data["file"], period=period, user=user
                )
            except imports.FileRefused as exc:
                for message in exc.messages:
                    form.add_error("file", ValidationError(message, code="unreadable"))
            else:
                if wants_json:
                    return JsonResponse({"redirect": batch.get_absolute_url()})
                return redirect(batch)
        if wants_json:
            return JsonResponse(
                {"errors": [m for errors in form.errors.values() for m in errors]}, status=400
            )
    else:
        form = ImportUploadForm()
    context = {
        "period": period,
        "form": form,
        "units": editable_units if not permissions.imports_city_wide(user) else [],
        "city_wide": permissions.imports_city_wide(user),
    }
    return render(request, "campaigns/import_upload.html", context)


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.owned_by(request.user).select_related("period"), pk=pk
    )
    context = {
        "batch": batch,
        "period": batch.period,
        "summary": imports.summarise(batch),
        "error_rows": list(imports.error_rows(batch)),
        "changed_rows": batch.changed_rows,
    }
    return render(request, "campaigns/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.owned_by(request.user).select_related("period"), pk=pk
    )
    try:
        changed = services.import_apply(batch=batch, user=request.user)
    except services.ImportRefused as exc:
        messages.error(request, exc.message)
        return redirect(batch)
    messages.success(
        request,
        gettext(
            "Imported: %(count)s figures or comments changed. The reports stay drafts until "
            "they are submitted."
        )
        % {"count": changed},
    )
    unit_ids = {r["unit_id"] for r in batch.changed_rows}
    if len(unit_ids) == 1:
        unit = AdministrativeUnit.objects.get(pk=unit_ids.pop())
        return redirect("campaigns:report_entry", year=batch.period.year, slug=unit.slug)
    return redirect("campaigns:import_upload", year=batch.period.year)
