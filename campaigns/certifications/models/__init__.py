"""Models of the certifications app (a package: together they pass ~600 lines)."""

from campaigns.certifications.models.awards import Award, FestivalDay, Incident, Person
from campaigns.certifications.models.choices import (
    AwardForm,
    CertificationKind,
    ClassificationLevel,
    CriterionKind,
    DossierStatus,
    HolderKind,
    HolderType,
    RecipientType,
    Result,
    RuleSetSubject,
)
from campaigns.certifications.models.classification import (
    ClassificationScore,
    MovementClassification,
)
from campaigns.certifications.models.counts import TitleCount
from campaigns.certifications.models.dossiers import CriterionAssessment, Dossier
from campaigns.certifications.models.holders import (
    holder_kind_of,
    holder_type_of,
    owning_unit_of,
)
from campaigns.certifications.models.rules import (
    ClassificationThreshold,
    Criterion,
    EligibilityExclusion,
    RuleSet,
    ScoringItem,
    decisive_day,
    level_for,
)

__all__ = [
    "Award",
    "AwardForm",
    "CertificationKind",
    "ClassificationLevel",
    "ClassificationScore",
    "ClassificationThreshold",
    "Criterion",
    "CriterionAssessment",
    "CriterionKind",
    "Dossier",
    "DossierStatus",
    "EligibilityExclusion",
    "FestivalDay",
    "HolderKind",
    "HolderType",
    "Incident",
    "MovementClassification",
    "Person",
    "RecipientType",
    "Result",
    "RuleSet",
    "RuleSetSubject",
    "ScoringItem",
    "TitleCount",
    "decisive_day",
    "holder_kind_of",
    "holder_type_of",
    "level_for",
    "owning_unit_of",
]
