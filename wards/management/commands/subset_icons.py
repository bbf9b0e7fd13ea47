"""Cut the vendored Bootstrap Icons font down to the icons the app uses.

The whole font is 131 KiB, more than every other asset of a page together; a phone on 3G waits
about 2,6 s for it. This writes ``bootstrap-icons.subset.css`` and ``fonts/bootstrap-icons.subset
.woff2`` (a few KiB) next to the untouched originals, from every ``bi-*`` class found in the
templates, the JavaScript and the Python code. Run it after using a new icon;
tests/wards/test_shell.py fails while an icon in use is missing from the subset.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ICONS = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap-icons"
ICON_CLASS = re.compile(r"\bbi-[a-z0-9]+(?:-[a-z0-9]+)*")
SOURCES = [("templates", "*.html"), ("static/js", "*.js")]
APPS = ["wards", "campaigns", "models_registry", "mytho_security"]


def icons_in_use() -> set[str]:
    """Every bi-* class written in the templates, the app's JavaScript and Python code."""
    base = Path(settings.BASE_DIR)
    files = [f for folder, pattern in SOURCES for f in (base / folder).rglob(pattern)]
    files += [f for app in APPS for f in (base / app).rglob("*.py")]
    return {name for f in files for name in ICON_CLASS.findall(f.read_text(encoding="utf-8"))}


def subset_css_names() -> set[str]:
    css = (ICONS / "bootstrap-icons.subset.css").read_text(encoding="utf-8")
    return set(re.findall(r"\.(bi-[a-z0-9-]+)::before", css))


class Command(BaseCommand):
    help = "Write a Bootstrap Icons font and stylesheet with only the icons the app uses."

    def handle(self, *args, **options):
        from fontTools import subset  # noqa: PLC0415 - a dependency of WeasyPrint

        full = (ICONS / "bootstrap-icons.min.css").read_text(encoding="utf-8")
        codes = dict(re.findall(r"\.(bi-[a-z0-9-]+)::before\{content:\"\\([0-9a-f]+)\"\}", full))
        wanted = sorted(icons_in_use() & set(codes))
        unknown = sorted(n for n in icons_in_use() - set(codes) if n not in {"bi-"})
        if not wanted:
            raise CommandError("No icon in use found.")
        options_ = subset.Options()
        options_.flavor = "woff2"
        options_.layout_features = []
        font = subset.load_font(str(ICONS / "fonts" / "bootstrap-icons.woff2"), options_)
        subsetter = subset.Subsetter(options_)
        subsetter.populate(unicodes=[int(codes[n], 16) for n in wanted])
        subsetter.subset(font)
        subset.save_font(font, str(ICONS / "fonts" / "bootstrap-icons.subset.woff2"), options_)
        base_rule = re.search(r"\.bi::before,[^{]+\{[^}]+\}", full).group(0)
        rules = "".join(f'.{n}::before{{content:"\\{codes[n]}"}}' for n in wanted)
        (ICONS / "bootstrap-icons.subset.css").write_text(
            "/* Bootstrap Icons 1.13.2 (MIT), only the icons in use: "
            "python manage.py subset_icons */\n"
            "@font-face{font-display:swap;font-family:bootstrap-icons;"
            'src:url("fonts/bootstrap-icons.subset.woff2") format("woff2")}'
            + base_rule
            + rules
            + "\n",
            encoding="utf-8",
        )
        self.stdout.write(f"{len(wanted)} icons kept.")
        if unknown:
            self.stdout.write("Not in Bootstrap Icons (ignored): " + ", ".join(unknown))
