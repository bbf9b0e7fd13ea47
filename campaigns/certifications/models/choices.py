"""Enumerations of the certifications app, and what each certification kind applies to.

Module-level classes (aliased inside the models) because a nested ``Meta`` cannot see a model's
nested classes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wards.models import choices_q  # noqa: F401 - re-exported for the models of this app


class CertificationKind(models.TextChoices):
    ANTT_SAFE = "antt_safe", _("Safe in security and order (An toàn về ANTT)")
    CIVILIZED_URBAN = "civilized_urban", _("Ward meeting the civilized-urban standard")
    NEW_RURAL_CULTURE = "new_rural_culture", _("Commune meeting the new-rural cultural standard")


class RuleSetSubject(models.TextChoices):
    """What a rule set governs: one of the certification kinds, or the movement classification."""

    ANTT_SAFE = CertificationKind.ANTT_SAFE.value, CertificationKind.ANTT_SAFE.label
    CIVILIZED_URBAN = (
        CertificationKind.CIVILIZED_URBAN.value,
        CertificationKind.CIVILIZED_URBAN.label,
    )
    NEW_RURAL_CULTURE = (
        CertificationKind.NEW_RURAL_CULTURE.value,
        CertificationKind.NEW_RURAL_CULTURE.label,
    )
    MOVEMENT_CLASSIFICATION = "movement_classification", _("Movement classification (100 points)")


class HolderType(models.TextChoices):
    """Which of the three holder columns of a dossier is set."""

    UNIT = "unit", _("Ward/commune")
    RESIDENTIAL_AREA = "residential_area", _("Residential area")
    ORGANIZATION = "organization", _("Agency, enterprise or school")


class HolderKind(models.TextChoices):
    """The kinds of holder that criteria and scoring items are written for."""

    UNIT = "unit", _("Ward/commune")
    RESIDENTIAL_AREA = "residential_area", _("Residential area")
    AGENCY_ENTERPRISE = "agency_enterprise", _("Agency or enterprise")
    SCHOOL = "school", _("School")


class RecognisingLevel(models.TextChoices):
    CITY = "city", _("City People's Committee")
    COMMUNE = "commune", _("Ward/commune People's Committee")


class Result(models.TextChoices):
    MET = "met", _("Met (Đạt)")
    NOT_MET = "not_met", _("Not met (Chưa đạt)")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Awaiting decision")
    DECIDED = "decided", _("Decided")


class CriterionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes/no, self-assessed")
    INDICATOR_THRESHOLD = "indicator_threshold", _("Threshold on a yearly indicator")
    CHILD_SHARE = "child_share", _("Share of residential areas certified")


class Operator(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class ExclusionAttribute(models.TextChoices):
    SCHOOL_LEVEL = "school_level", _("School level")
    ENTERPRISE_SIZE = "enterprise_size", _("Enterprise size")
    IS_ARMED_FORCES = "is_armed_forces", _("Armed-forces unit")


class ClassificationLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (xuất sắc)")
    GOOD = "good", _("Good (khá)")
    AVERAGE = "average", _("Average (trung bình)")
    WEAK = "weak", _("Weak (yếu)")


class ClassificationStatus(models.TextChoices):
    DRAFT = "draft", _("Self-scoring")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")


class AwardForm(models.TextChoices):
    CERTIFICATE_OF_MERIT = "certificate_of_merit", _("Certificate of merit (bằng khen)")
    COMMENDATION = "commendation", _("Commendation (giấy khen)")
    EMULATION_FLAG = "emulation_flag", _("Emulation flag (cờ thi đua)")
    QUYET_THANG = "quyet_thang", _("“Đơn vị Quyết thắng” title")
    COMMEMORATIVE_MEDAL = (
        "commemorative_medal",
        _("Commemorative medal “Bảo vệ an ninh Tổ quốc”"),
    )
    OTHER = "other", _("Other")


class RecipientType(models.TextChoices):
    UNIT = "unit", _("Ward/commune or city")
    ORGANIZATION = "organization", _("Agency, enterprise or school")
    MODEL_SITE = "model_site", _("Crime-prevention model site")
    PERSON = "person", _("Person")


class AwardOccasion(models.TextChoices):
    FESTIVAL_DAY = "festival_day", _("Ngày hội toàn dân bảo vệ ANTQ")
    REVIEW = "review", _("Period review (sơ kết, tổng kết)")
    YEARLY = "yearly", _("Year-end emulation")
    SPECIAL = "special", _("Special achievement")


class IncidentKind(models.TextChoices):
    MASS_COMPLAINT = "mass_complaint", _("Mass complaints")
    ILLEGAL_STRIKE = "illegal_strike", _("Illegal strike")
    MAJOR_THEFT = "major_theft", _("Major theft of property")
    SECRET_LEAK = "secret_leak", _("Leak of state or business secrets")
    FIRE_EXPLOSION = "fire_explosion", _("Fire or explosion")
    LABOUR_ACCIDENT = "labour_accident", _("Serious labour accident")
    STAFF_CRIME = "staff_crime", _("Staff member committing a crime")
    SCHOOL_VIOLENCE = "school_violence", _("School violence")


# Which holders each certification kind is for (domain.md §1, §3).
_WARD_KINDS = {"ward", "township"}
_COMMUNE_KINDS = {"commune"}
_COMMUNE_LEVEL_KINDS = {"ward", "commune", "township"}


def kind_applies_to(kind: str, holder_type: str, unit_kind: str | None = None) -> bool:
    """Whether certification ``kind`` is awarded to this type of holder (and unit kind)."""
    if kind == CertificationKind.ANTT_SAFE:
        if holder_type == HolderType.UNIT:
            return unit_kind in _COMMUNE_LEVEL_KINDS
        return True
    if holder_type != HolderType.UNIT:
        return False
    if kind == CertificationKind.CIVILIZED_URBAN:
        return unit_kind in _WARD_KINDS
    if kind == CertificationKind.NEW_RURAL_CULTURE:
        return unit_kind in _COMMUNE_KINDS
    return False


def recognising_level(kind: str, holder_type: str) -> str:
    """Who recognises the title (domain.md §3 "Recognition"): the city People's Committee
    recognises wards/communes; the ward/commune People's Committee recognises its residential
    areas and local organisations."""
    if holder_type == HolderType.UNIT:
        return RecognisingLevel.CITY
    return RecognisingLevel.COMMUNE
