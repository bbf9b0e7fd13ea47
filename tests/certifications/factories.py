"""Helpers that build certification data directly (fast) for tests that need volume."""

import datetime

from campaigns.certifications.models import (
    CertificationKind,
    Dossier,
    DossierStatus,
    Result,
    RuleSet,
    decisive_day,
    holder_kind_of,
)
from tests.factories import ResidentialAreaFactory

D = datetime.date


def governing(kind: str, year: int, holder) -> RuleSet:
    return RuleSet.objects.governing(kind, year, holder_kind_of(holder))


def decided_dossier(
    holder,
    *,
    year: int,
    met: bool = True,
    kind: str = CertificationKind.ANTT_SAFE,
    number: str = "1/QĐ-UBND",
) -> Dossier:
    """A decided dossier without assessment rows: enough for counts and histories."""
    dossier = Dossier(
        kind=kind,
        year=year,
        rule_set=governing(kind, year, holder),
        status=DossierStatus.DECIDED,
        registered_on=D(year, 1, 20),
        result=Result.MET if met else Result.NOT_MET,
        proposed_result=Result.MET if met else Result.NOT_MET,
        decision_number=number,
        decision_date=min(decisive_day(year), D(year, 11, 20)),
        issuing_body="Ủy ban nhân dân",
        certificate_number=f"{holder.pk}/GCN" if met else "",
    )
    dossier.set_holder(holder)
    dossier.save()
    return dossier


def areas_of(unit, count: int) -> list:
    return [ResidentialAreaFactory(unit=unit, name=f"Khu phố {n}") for n in range(1, count + 1)]
