"""A record's change history (django-simple-history) as the pages show it: who, when, what."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


# Bookkeeping fields nobody asked to see in a change list.
_HIDDEN = {"updated_at", "created_at", "version"}


def _shown(record, model_field) -> str:
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def history_of(obj: models.Model, *, limit: int = 20) -> list[HistoryEntry]:
    """The last ``limit`` changes of ``obj``, newest first, each with the fields it changed.

    One query (the history rows with their users); foreign keys are shown by id, so that the
    list costs no query per row.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else gettext("system")
        action = {
            "+": gettext("created"),
            "~": gettext("changed"),
            "-": gettext("deleted"),
        }[record.history_type]
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in _HIDDEN:
                    continue
                model_field = obj._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        label=str(model_field.verbose_name),
                        old=_shown(previous, model_field),
                        new=_shown(record, model_field),
                    )
                )
        entries.append(
            HistoryEntry(when=record.history_date, who=who, action=action, changes=changes)
        )
    return entries
