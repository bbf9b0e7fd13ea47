"""Pages of the certifications app, by subject: thin views over ``selectors`` and ``services``.

- ``titles``: the overview by year, a unit's history, organisations with their titles and the
  incidents that put an organisation's title at risk;
- ``dossiers``: the list, the preparation board, a dossier from opening to decision, its
  certificate and evidence;
- ``classification``: the movement classification's scoring sheets;
- ``awards``: awards, the persons awarded, and the Ngày hội;
- ``_common``: what they share (holder slugs, the year parameter, the scoped querysets).

Every object is fetched through ``visible_to``/``editable_by`` so another unit's data is a 404;
actions that need a role (deciding, recording awards) answer 403 to everyone else.
"""
