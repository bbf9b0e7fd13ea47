"""The template conventions of CONTRIBUTING.md, checked: fragments, slots and page hooks."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SLOTS = {"_nav.html", "_home.html", "_unit_section.html"}


def test_an_underscore_names_only_a_slot_other_fragments_are_in_includes():
    underscored = set((ROOT / "templates").rglob("_*.html"))
    assert underscored, "the slots have moved: update this test and CONTRIBUTING.md"
    strays = sorted(str(p.relative_to(ROOT)) for p in underscored if p.name not in SLOTS)
    assert strays == []


def test_scripts_find_their_elements_by_data_attributes():
    # An id only for data passed with json_script; never a class or another id as a hook.
    json_data = {'"chart-data"', 'node.getAttribute("data-unit-map")'}
    for script in (ROOT / "static" / "js").glob("*.js"):
        text = script.read_text()
        assert set(re.findall(r"getElementById\((.*?)\);", text)) <= json_data, script
        # querySelector("#x") or (".x") would be a hook by id or by class.
        assert not re.search(r"""querySelector(All)?\(\s*["'][#.]""", text), script
        assert "getElementsByClassName" not in text, script
