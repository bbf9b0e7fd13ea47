"""Administrative units over time, their residential areas and organisations, and accounts.

This app is the ground floor: it imports no other app of the project. Scoping (who may see and
edit which unit) lives here too, in :mod:`wards.scoping`.
"""

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wards.geojson import check_geometry
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
        if getattr(user, "is_official", False) and user.residential_areas.exists():
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


class EmailPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("One e-mail a day (digest)")
    IN_APP = "in_app", _("In the app only, no e-mail")


class User(AbstractUser):
    """An account with a role and the unit it works for; scope is data, editable in admin."""

    Role = UserRole

    EmailPreference = EmailPreference

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
    email_preference = models.CharField(
        _("notification e-mails"),
        max_length=16,
        choices=EmailPreference.choices,
        default=EmailPreference.IMMEDIATE,
        help_text=_("Notifications always appear in the app; this decides the e-mails."),
    )

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
            models.CheckConstraint(
                condition=choices_q("email_preference", EmailPreference),
                name="wards_user_email_preference_valid",
            ),
        ]

    # The role predicates: the one place that compares a role (a test keeps literals out of
    # the rest of the code). Only wards.scoping and the permissions modules read them.
    @property
    def is_official(self) -> bool:
        return self.role == self.Role.OFFICIAL

    @property
    def is_approver(self) -> bool:
        return self.role == self.Role.APPROVER

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_city_role(self) -> bool:
        """An approver or a leader: sees the ground of a unit above the wards."""
        return self.role in (self.Role.APPROVER, self.Role.LEADER)

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def can_approve(self) -> bool:
        return self.is_active and (self.role == self.Role.APPROVER or self.is_admin_role)


class YearReopeningQuerySet(models.QuerySet):
    def open_for(self, unit) -> "YearReopeningQuerySet":
        """Reopenings of ``unit`` not closed again yet."""
        return self.filter(unit=unit, closed_again_at__isnull=True)


class YearReopening(TimeStampedModel):
    """An approver reopened a closed year for one unit, with a reason (see :mod:`wards.closure`).

    The row is the audit: who reopened, when and why; who closed it again and when. While it is
    open, the unit's data of that year (reports, model sites and grades, dossiers, scoring
    sheets, awards) may change again.
    """

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="year_reopenings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(
        User, verbose_name=_("reopened by"), on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    closed_again_at = models.DateTimeField(_("closed again at"), null=True, blank=True)
    closed_again_by = models.ForeignKey(
        User,
        verbose_name=_("closed again by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = YearReopeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("reopened year")
        verbose_name_plural = _("reopened years")
        ordering = ["-reopened_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="wards_yearreopening_has_reason"),
            # At most one open reopening per unit and year.
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(closed_again_at__isnull=True),
                name="wards_yearreopening_one_open",
            ),
            models.CheckConstraint(
                condition=Q(closed_again_at__isnull=True) | Q(closed_again_by__isnull=False),
                name="wards_yearreopening_closed_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_again_at is None


class UnitBoundaryQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def valid_on(self, day: datetime.date) -> "UnitBoundaryQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class UnitBoundary(TimeStampedModel):
    """The outline of a unit on the map between two dates, as a GeoJSON geometry.

    A unit keeps one row per shape it had: a boundary change gives a new row from its date.
    """

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="boundaries",
    )
    geometry = models.JSONField(
        _("boundary (GeoJSON)"),
        help_text=_(
            "A Polygon or MultiPolygon in longitude/latitude (WGS 84), as exported by QGIS or "
            "geojson.io."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Empty while the boundary is still current."),
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("Where the outline comes from, e.g. the survey map and its date."),
    )
    is_illustrative = models.BooleanField(
        _("illustrative only"),
        default=False,
        help_text=_("A rough drawing, not a surveyed boundary; the map says so."),
    )

    objects = UnitBoundaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit boundary")
        verbose_name_plural = _("unit boundaries")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="wards_unitboundary_valid_to_after_from",
            ),
        ]
        indexes = [
            # boundaries_on(day, units): a unit's outline valid on a date.
            models.Index(fields=["unit", "valid_from"], name="wards_boundary_unit_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.valid_from:%d/%m/%Y})"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.geometry is not None:
            try:
                self.geometry = check_geometry(self.geometry)
            except ValidationError as exc:
                errors["geometry"] = exc.messages
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("The end date is before the start date.")]
        if self.unit_id and self.valid_from and "valid_to" not in errors:
            unit = self.unit
            if self.valid_from < unit.valid_from or (
                unit.valid_to and (self.valid_to is None or self.valid_to > unit.valid_to)
            ):
                errors.setdefault("valid_from", []).append(
                    _("The boundary must lie within the unit's own dates (%(range)s).")
                    % {
                        "range": f"{unit.valid_from:%d/%m/%Y}–"
                        + (f"{unit.valid_to:%d/%m/%Y}" if unit.valid_to else "…")
                    }
                )
            overlapping = UnitBoundary.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to is not None:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors.setdefault("valid_from", []).append(
                    _("Another boundary of this unit covers part of these dates.")
                )
        if errors:
            raise ValidationError(errors)


class NotificationKind(models.TextChoices):
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    REPORT_REOPENED = "report_reopened", _("Report reopened")
    DOSSIER_SUBMITTED = "dossier_submitted", _("Dossier submitted")
    DOSSIER_DECIDED = "dossier_decided", _("Dossier decided")
    DOSSIER_RETURNED = "dossier_returned", _("Dossier returned")
    CLASSIFICATION_APPROVED = "classification_approved", _("Classification approved")
    PERIOD_OPENED = "period_opened", _("Reporting period opened")
    REMINDER = "reminder", _("Reminder")
    OVERDUE = "overdue", _("Units overdue")
    WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary")


class EmailState(models.TextChoices):
    NONE = "none", _("No e-mail")
    PENDING = "pending", _("To send")
    DIGEST = "digest", _("Waits for the daily digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, no more attempts")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that waits for one user: a row, created in the transaction of its event.

    It stores text and a link rather than foreign keys into other apps (this app is the ground
    floor). ``key`` makes scheduled notifications idempotent: one row per (recipient, key).
    The e-mail goes out later (``manage.py send_notifications``), never inside the request.
    """

    Kind = NotificationKind
    EmailState = EmailState

    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    details = models.TextField(_("details"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(
        _("key"),
        max_length=120,
        blank=True,
        help_text=_("Scheduled notifications: at most one per recipient and key."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=16, choices=EmailState.choices, default=EmailState.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.TextField(_("last e-mail error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("kind", NotificationKind), name="wards_notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=choices_q("email_state", EmailState),
                name="wards_notification_email_state_valid",
            ),
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="wards_notification_recipient_key_unique",
            ),
        ]
        indexes = [
            # The bell on every page: count of a user's unread notifications.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="wards_notif_unread_idx",
            ),
            # /thong-bao/ and the API: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="wards_notif_recipient_idx"),
            # send_notifications: the e-mails still to send.
            models.Index(
                fields=["email_state"],
                condition=Q(email_state__in=["pending", "digest"]),
                name="wards_notif_outbox_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class FiguresVersion(models.Model):
    """One counter that every change to the figures shown on the cached pages bumps.

    The dashboard, period review, exports and API cache their results under the current value
    (:mod:`wards.figures`). The counter lives in the database, not in the cache, so that it is
    bumped in the very transaction that changes a report's status, a certification or a model
    site: a page read after the commit sees the new value, never the new value with old figures,
    and every application server (and every process of one) agrees on it.
    """

    value = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("figures version")
        verbose_name_plural = _("figures versions")

    def __str__(self) -> str:
        return str(self.value)
