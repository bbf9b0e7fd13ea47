"""Movement classification: the scoring sheets, their points, submission and approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from campaigns.certifications import permissions, services
from campaigns.certifications.forms import ClassificationCreateForm, ScoreForm
from campaigns.certifications.models import ClassificationScore, MovementClassification
from campaigns.certifications.models.holders import HOLDER_RELATED
from campaigns.certifications.views._common import (
    closed_for_new_work,
    editable_holder,
    require_preparer,
    this_year,
    year_param,
)
from wards.form_errors import add_service_errors
from wards.history import history_of
from wards.models import AdministrativeUnit
from wards.periods import open_units


@login_required
def classification_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request, "year", this_year() - 1, old="nam")
    sheets = list(
        MovementClassification.objects.visible_to(request.user)
        .filter(year=year)
        .select_related(*HOLDER_RELATED, "rule_set")
        .prefetch_related("scores", "rule_set__thresholds")
        .order_by("unit__display_order", "holder_type", "pk")
    )
    preparable = []
    if permissions.can_open_scoring_sheets(request.user):
        have = {s.holder_unit_id for s in sheets if s.holder_unit_id}
        preparable = [
            u
            for u in open_units(
                year, qs=AdministrativeUnit.objects.editable_by(request.user).commune_level()
            )
            if u.pk not in have
        ]
    context = {
        "year": year,
        "years": list(range(this_year(), 2011, -1)),
        "sheets": sheets,
        "preparable": preparable,
        "levels": _level_counts(sheets),
    }
    return render(request, "certifications/classification_list.html", context)


def _level_counts(sheets) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for sheet in sheets:
        label = sheet.get_level_display()
        if label:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


@login_required
def classification_create(request: HttpRequest, holder_slug: str, pk: int) -> HttpResponse:
    require_preparer(request.user)
    holder = editable_holder(request.user, holder_slug, pk)
    if refused := closed_for_new_work(request, holder):
        return refused
    form = ClassificationCreateForm(
        request.POST or None, initial={"year": year_param(request, "year", this_year(), old="nam")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.classification_create(
                user=request.user, holder=holder, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Scoring sheet opened."))
            return redirect(sheet)
    return render(
        request, "certifications/classification_create.html", {"form": form, "holder": holder}
    )


@login_required
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    sheet = get_object_or_404(
        MovementClassification.objects.visible_to(user)
        .select_related(*HOLDER_RELATED, "rule_set")
        .prefetch_related(
            "rule_set__thresholds",
            Prefetch(
                "scores",
                queryset=ClassificationScore.objects.select_related("item").order_by(
                    "item__order", "item__code"
                ),
            ),
        ),
        pk=pk,
    )
    approving = sheet.status == MovementClassification.Status.SUBMITTED
    can_edit = (
        sheet.status == MovementClassification.Status.DRAFT
        and MovementClassification.objects.editable_by(user).filter(pk=sheet.pk).exists()
    ) or (approving and permissions.can_approve_classifications(user))
    scores = list(sheet.scores.all())
    forms = None
    if can_edit:
        field = "approved_points" if approving else "self_points"
        forms = [
            ScoreForm(
                request.POST or None,
                prefix=f"s{score.pk}",
                score=score,
                initial={"points": getattr(score, field), "note": score.note},
            )
            for score in scores
        ]
        if request.method == "POST" and all(f.is_valid() for f in forms):
            points = {f.score.pk: (f.cleaned_data["points"], f.cleaned_data["note"]) for f in forms}
            action = request.POST.get("action", "save")
            try:
                # Submitting and approving take the points on the page, in the same step.
                if action == "approve" and approving:
                    services.classification_approve(sheet=sheet, user=user, points=points)
                    done = gettext("Scoring sheet approved.")
                elif action == "submit" and not approving:
                    services.classification_submit(sheet=sheet, user=user, points=points)
                    done = gettext("Scoring sheet submitted for approval.")
                else:
                    services.classification_save_scores(sheet=sheet, user=user, points=points)
                    done = gettext("Points saved.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, done)
                return redirect(sheet)
        elif request.method == "POST":
            messages.error(request, gettext("Nothing was saved: correct the marked fields."))
    elif request.method == "POST":
        raise PermissionDenied
    own, approved = sheet.totals()
    context = {
        "sheet": sheet,
        "rows": list(zip(scores, forms or [None] * len(scores), strict=True)),
        "can_edit": can_edit,
        "approving": approving,
        "own_total": own,
        "approved_total": approved,
        "max_total": sum(s.max_points for s in scores),
        "thresholds": sorted(sheet.rule_set.thresholds.all(), key=lambda t: -t.min_points),
        "can_submit": sheet.status == MovementClassification.Status.DRAFT and can_edit,
        "can_approve": approving and permissions.can_approve_classifications(user),
        "history": history_of(sheet),
    }
    return render(request, "certifications/classification_detail.html", context)


@login_required
@require_POST
def classification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(MovementClassification.objects.editable_by(request.user), pk=pk)
    try:
        services.classification_submit(sheet=sheet, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Scoring sheet submitted for approval."))
    return redirect(sheet)


@login_required
@require_POST
def classification_approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_approve_classifications(request.user):
        raise PermissionDenied
    sheet = get_object_or_404(MovementClassification.objects.visible_to(request.user), pk=pk)
    try:
        services.classification_approve(sheet=sheet, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Scoring sheet approved."))
    return redirect(sheet)
