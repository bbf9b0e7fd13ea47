"""The yearly reports of the movement, and two apps of their own that are built on them.

``campaigns/`` is three Django apps in one folder, in this dependency order (each may import
the ones after it, never the ones before; import-linter checks it, see ``pyproject.toml``):

1. ``campaigns.dashboard``: the dashboard, the period review, the exports and the JSON API.
   It reads the aggregates and the certifications' counts; it writes nothing of the others.
2. ``campaigns.certifications``: the ANTT title and the culture titles (rule sets as data,
   dossiers, criteria), the movement classification, awards and Ngày hội.
3. The reports core, this package's own modules (app label ``campaigns``): campaigns,
   reporting periods, the indicator catalogue and its rules, yearly unit reports and their
   workflow (``services``: save, submit, return, approve, reopen), approval levels
   (``approvals``), the approved aggregates (``aggregates``), import and the backup.

Below all three: ``models_registry`` (crime-prevention models) and ``wards`` (units over time,
accounts and scoping), which import nothing from here. See CONTRIBUTING.md for the house rules
and docs/glossary.md for the Vietnamese terms.
"""
