"""A row that belongs to one holder: a ward/commune, a residential area or an organisation."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.certifications.models.choices import HolderKind, HolderType, choices_q
from wards.models import AdministrativeUnit, Organization, ResidentialArea, TimeStampedModel


def holder_type_of(holder) -> str:
    if isinstance(holder, AdministrativeUnit):
        return HolderType.UNIT
    if isinstance(holder, ResidentialArea):
        return HolderType.RESIDENTIAL_AREA
    if isinstance(holder, Organization):
        return HolderType.ORGANIZATION
    raise TypeError(f"Not a holder: {holder!r}")


def holder_kind_of(holder) -> str:
    """The kind of holder that criteria are written for (schools have their own)."""
    holder_type = holder_type_of(holder)
    if holder_type == HolderType.ORGANIZATION:
        if holder.kind == Organization.Kind.SCHOOL:
            return HolderKind.SCHOOL
        return HolderKind.AGENCY_ENTERPRISE
    return holder_type  # "unit" and "residential_area" are the same words in both enums


def owning_unit_of(holder) -> AdministrativeUnit:
    """The unit that owns a holder's data for scoping: the unit itself or the holder's unit."""
    return holder if isinstance(holder, AdministrativeUnit) else holder.unit


class HolderModel(TimeStampedModel):
    """Abstract: three nullable holder columns, exactly one set and agreeing with ``holder_type``.

    ``unit`` is the owning ward/commune (or city) for scoping, so querysets use
    ``unit_lookup = "unit"`` whatever the holder is.
    """

    HolderType = HolderType

    holder_type = models.CharField(_("holder type"), max_length=20, choices=HolderType.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)ss_owned",
        help_text=_("The ward/commune (or city) the holder belongs to."),
    )
    holder_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("ward/commune"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)ss_held",
        null=True,
        blank=True,
    )
    residential_area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("residential area"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)ss",
        null=True,
        blank=True,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)ss",
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=choices_q("holder_type", HolderType),
                name="%(app_label)s_%(class)s_holder_type_valid",
            ),
            # Exactly one holder column is set, the one holder_type names; a unit holder owns
            # itself.
            models.CheckConstraint(
                condition=Q(
                    holder_type=HolderType.UNIT,
                    holder_unit__isnull=False,
                    residential_area__isnull=True,
                    organization__isnull=True,
                    unit=F("holder_unit"),
                )
                | Q(
                    holder_type=HolderType.RESIDENTIAL_AREA,
                    holder_unit__isnull=True,
                    residential_area__isnull=False,
                    organization__isnull=True,
                )
                | Q(
                    holder_type=HolderType.ORGANIZATION,
                    holder_unit__isnull=True,
                    residential_area__isnull=True,
                    organization__isnull=False,
                ),
                name="%(app_label)s_%(class)s_exactly_one_holder",
            ),
        ]

    @property
    def holder(self):
        if self.holder_type == HolderType.UNIT:
            return self.holder_unit
        if self.holder_type == HolderType.RESIDENTIAL_AREA:
            return self.residential_area
        return self.organization

    @property
    def holder_kind(self) -> str:
        return holder_kind_of(self.holder)

    @property
    def holder_name(self) -> str:
        holder = self.holder
        if self.holder_type == HolderType.UNIT:
            return holder.name
        return f"{holder.name} — {self.unit.name}"

    def set_holder(self, holder) -> None:
        self.holder_type = holder_type_of(holder)
        self.holder_unit = holder if self.holder_type == HolderType.UNIT else None
        self.residential_area = holder if self.holder_type == HolderType.RESIDENTIAL_AREA else None
        self.organization = holder if self.holder_type == HolderType.ORGANIZATION else None
        self.unit = owning_unit_of(holder)


HOLDER_RELATED = ["unit", "unit__parent", "holder_unit", "residential_area", "organization"]
