"""The kept counts across an edit of the units' structure (a unit's parent, kind or dates).

The kept aggregates and report counts (:mod:`campaigns.aggregates`), title counts
(:mod:`campaigns.certifications.counts`) and counted sites (:mod:`models_registry.counts`) follow
every write of reports, dossiers and sites. Which areas a unit's subtree feeds, and in which
years, is decided by the unit's parent chain, its kind and its dates; an edit of those (in the
admin) goes through :func:`counts_follow`, which takes out what the subtree contributed under
the old structure and puts it back under the new one, in the edit's transaction. The cost is the
subtree's (a ward: a few dozen rows), not the country's. Lives in the dashboard app, the one that
may import every app's counts.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from campaigns import aggregates
from campaigns.certifications import counts as title_counts
from campaigns.certifications.models import Dossier
from campaigns.models import ReportStatus, UnitReport
from models_registry import counts as site_counts
from models_registry.models import ModelSite
from wards.models import AdministrativeUnit
from wards.scoping import within_q

# What decides where a unit's reports, titles and sites count.
STRUCTURE_FIELDS = ("parent_id", "kind", "valid_from", "valid_to")
_COUNTED = aggregates.BASIS_STATUSES[aggregates.AggregateBasis.SUBMITTED]
_WITH_PARENTS = ("period", "unit__parent__parent__parent")


def changes_structure(unit: AdministrativeUnit) -> bool:
    """Whether saving ``unit`` as it is in memory changes its parent, kind or dates (one query;
    none for a new unit, which has nothing counted yet)."""
    if unit.pk is None:
        return False
    stored = AdministrativeUnit.objects.filter(pk=unit.pk).values(*STRUCTURE_FIELDS).first()
    return stored is not None and any(
        stored[field] != getattr(unit, field) for field in STRUCTURE_FIELDS
    )


@contextmanager
def counts_follow(unit: AdministrativeUnit) -> Iterator[None]:
    """Around the save of ``unit`` (inside its transaction): every kept count of the unit's
    subtree moves from the old structure to the new one."""
    subtree = list(
        AdministrativeUnit.objects.filter(within_q(unit.pk, "")).values_list("pk", flat=True)
    )
    # Loaded with their units' parent chains as they stand before the save: the old areas.
    reports = list(
        UnitReport.objects.filter(unit_id__in=subtree, status__in=_COUNTED).select_related(
            *_WITH_PARENTS
        )
    )
    dossier_ids = list(
        Dossier.objects.met().filter(unit_id__in=subtree).values_list("pk", flat=True)
    )
    site_ids = list(ModelSite.objects.filter(unit_id__in=subtree).values_list("pk", flat=True))
    titles_before = title_counts.keys_of(dossier_ids)
    sites_before = site_counts.contributions(site_ids=site_ids)

    yield

    # Out of the old areas (as if each report went back to draft), after the save, so that a
    # maximum recomputed for an old area no longer sees the subtree; then into the new ones.
    out = []
    for report in reports:
        status, report.status = report.status, ReportStatus.DRAFT
        out.append((report, status))
    aggregates.apply_status_changes(out)
    moved = UnitReport.objects.filter(pk__in=[r.pk for r in reports]).select_related(*_WITH_PARENTS)
    aggregates.apply_status_changes([(report, ReportStatus.DRAFT) for report in moved])
    title_counts.apply(titles_before, title_counts.keys_of(dossier_ids))
    site_counts.apply(sites_before, site_counts.contributions(site_ids=site_ids))
