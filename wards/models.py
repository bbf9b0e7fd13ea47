"""Administrative units over time, their residential areas and organisations, and accounts.

This app is the ground floor: it imports no other app of the project. Scoping (who may see and
edit which unit) lives here too, in :mod:`wards.scoping`.
"""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wards.scoping import Ground, ScopedQuerySet, ground_of, within_q


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def choices_q(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class AdministrativeUnitQuerySet(ScopedQuerySet):
    unit_lookup = ""  # the row *is* the unit

    def valid_on(self, day: datetime.date) -> "AdministrativeUnitQuerySet":
        """Units that existed on ``day`` (inclusive at both ends)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def commune_level(self) -> "AdministrativeUnitQuerySet":
        return self.filter(kind__in=AdministrativeUnit.COMMUNE_LEVEL_KINDS)

    def within(self, unit: "AdministrativeUnit | int") -> "AdministrativeUnitQuerySet":
        """The unit and every unit below it (up to three levels down)."""
        return self.filter(within_q(unit, ""))


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    TOWNSHIP = "township", _("Township")


class AdministrativeUnit(TimeStampedModel):
    """A country, province, city, district, ward, commune or township, valid between two dates."""

    Kind = UnitKind

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(
        _("official code"),
        max_length=16,
        help_text=_("Code in the national list of administrative units, e.g. 815 for TP. Mỹ Tho."),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Used in addresses and as the demo user name.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Empty while the unit still exists.")
    )
    note = models.TextField(_("note"), blank=True)
    display_order = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Lists show units in this order, then by name.")
    )

    history = HistoricalRecords()
    objects = AdministrativeUnitQuerySet.as_manager()

    COMMUNE_LEVEL_KINDS = (Kind.WARD, Kind.COMMUNE, Kind.TOWNSHIP)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="wards_unit_code_unique"),
            models.UniqueConstraint(fields=["slug"], name="wards_unit_slug_unique"),
            models.CheckConstraint(
                condition=choices_q("kind", UnitKind), name="wards_unit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="wards_unit_valid_to_after_from",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="wards_unit_not_own_parent"),
        ]
        indexes = [
            # units_on(day) and AdministrativeUnit.objects.valid_on(): range filter on the dates.
            models.Index(fields=["valid_from", "valid_to"], name="wards_unit_validity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("wards:unit_detail", kwargs={"slug": self.slug})

    @property
    def is_commune_level(self) -> bool:
        return self.kind in self.COMMUNE_LEVEL_KINDS

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class UnitChangeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    BOUNDARY = "boundary", _("Boundary change")


class UnitChange(TimeStampedModel):
    """A reorganisation: predecessor units became successor units on ``effective_date``.

    A unit that continues after absorbing others is both a predecessor and a successor.
    """

    Kind = UnitChangeKind

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    predecessors = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("predecessor units"),
        related_name="changes_as_predecessor",
    )
    successors = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("successor units"), related_name="changes_as_successor"
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Say here when a composition is inferred rather than read in a source."),
    )

    history = HistoricalRecords(m2m_fields=[predecessors, successors])

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("kind", UnitChangeKind), name="wards_unitchange_kind_valid"
            ),
        ]
        indexes = [
            # wards.selectors.Succession.on(day): every change up to a date.
            models.Index(fields=["effective_date"], name="wards_unitchange_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class ReportingArea(TimeStampedModel):
    """A named ground that outlives its units, e.g. "Khu vực TP. Mỹ Tho".

    Its membership is never kept by hand: it is the ground of ``root`` followed through the
    recorded changes (:func:`wards.scoping.ground_of`), so the 17 units of TP. Mỹ Tho until
    30/6/2025 and the five wards they became afterwards form one continuous series.
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    root = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit it starts from"),
        on_delete=models.PROTECT,
        related_name="reporting_areas",
        help_text=_(
            "The area covers this unit's ground and whatever its units became after "
            "mergers, splits and renames."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("reporting area")
        verbose_name_plural = _("reporting areas")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="wards_reportingarea_slug_unique"),
            models.UniqueConstraint(fields=["root"], name="wards_reportingarea_root_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def ground(self) -> Ground:
        return ground_of(self.root_id)

    def members_on(self, day: datetime.date) -> "AdministrativeUnitQuerySet":
        """The wards and communes of the area on ``day``."""
        return (
            AdministrativeUnit.objects.filter(self.ground().unit_q()).valid_on(day).commune_level()
        )


class ResidentialAreaQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def editable_by(self, user) -> "ResidentialAreaQuerySet":
        """An official given particular residential areas edits only those."""
        qs = super().editable_by(user)
        if getattr(user, "role", None) == User.Role.OFFICIAL and user.residential_areas.exists():
            qs = qs.filter(pk__in=user.residential_areas.values("pk"))
        return qs


class ResidentialAreaKind(models.TextChoices):
    QUARTER = "khu_pho", _("Quarter (khu phố)")
    HAMLET = "ap", _("Hamlet (ấp)")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Residential group (tổ dân phố)")


class ResidentialArea(TimeStampedModel):
    """A khu phố (in wards), ấp (in communes) or tổ dân phố below a ward or commune."""

    Kind = ResidentialAreaKind

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="residential_areas",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ResidentialAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("residential area")
        verbose_name_plural = _("residential areas")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="wards_residentialarea_unit_name_unique"
            ),
            models.CheckConstraint(
                condition=choices_q("kind", ResidentialAreaKind),
                name="wards_residentialarea_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="wards_residentialarea_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class OrganizationQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class OrganizationKind(models.TextChoices):
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")


class OrganizationSchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational school")
    HIGHER = "higher", _("College or university")
    CONTINUING = "continuing", _("Continuing education centre")


class OrganizationEnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    LARGE = "large", _("Large enterprise")


class Organization(TimeStampedModel):
    """An agency, enterprise or school that can earn the ANTT title."""

    Kind = OrganizationKind

    SchoolLevel = OrganizationSchoolLevel

    EnterpriseSize = OrganizationEnterpriseSize

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    school_level = models.CharField(
        _("school level"), max_length=20, choices=SchoolLevel.choices, blank=True
    )
    enterprise_size = models.CharField(
        _("enterprise size"), max_length=10, choices=EnterpriseSize.choices, blank=True
    )
    is_armed_forces = models.BooleanField(_("armed-forces unit"), default=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["unit", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"], name="wards_organization_unit_name_unique"
            ),
            models.CheckConstraint(
                condition=choices_q("kind", OrganizationKind), name="wards_organization_kind_valid"
            ),
            # A school has a level; nothing else does.
            models.CheckConstraint(
                condition=(Q(kind="school") & Q(school_level__in=OrganizationSchoolLevel.values))
                | (~Q(kind="school") & Q(school_level="")),
                name="wards_organization_school_level_iff_school",
            ),
            models.CheckConstraint(
                condition=Q(enterprise_size="")
                | (Q(kind="enterprise") & Q(enterprise_size__in=OrganizationEnterpriseSize.values)),
                name="wards_organization_size_only_enterprise",
            ),
        ]
        indexes = [
            # Organisation lists filtered by unit and kind.
            models.Index(fields=["unit", "kind"], name="wards_org_unit_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class UserRole(models.TextChoices):
    OFFICIAL = "official", _("Ward/commune official")
    APPROVER = "approver", _("City approver")
    LEADER = "leader", _("City leader")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """An account with a role and the unit it works for; scope is data, editable in admin."""

    Role = UserRole

    role = models.CharField(
        _("role"),
        max_length=16,
        choices=Role.choices,
        blank=True,
        help_text=_("Without a role the account sees no unit's data."),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
        help_text=_("The ward/commune of an official; the city of an approver or leader."),
    )
    residential_areas = models.ManyToManyField(
        ResidentialArea,
        verbose_name=_("residential areas"),
        blank=True,
        related_name="officials",
        help_text=_("Optional: limit an official to these residential areas of the unit."),
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(role__in=UserRole.values), name="wards_user_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "admin"]) | Q(unit__isnull=False),
                name="wards_user_scoped_role_has_unit",
            ),
        ]

    @property
    def is_city_role(self) -> bool:
        return self.role in (self.Role.APPROVER, self.Role.LEADER)

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def can_approve(self) -> bool:
        return self.is_active and (self.role == self.Role.APPROVER or self.is_admin_role)
