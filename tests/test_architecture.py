"""The house rules about structure, checked on every run of the suite (so by `make test` and CI)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_each_other_only_the_allowed_way():
    """The import-linter contracts in pyproject.toml: wards imports no other app,
    models_registry only wards, the reports core neither its dashboard nor certifications."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 - our own venv's tool, fixed arguments
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


WRITES = {"save", "delete", "create", "update", "bulk_create", "bulk_update"}
WRITES |= {"get_or_create", "update_or_create", "add", "remove", "clear", "set"}
QUERYSET_HINTS = {"objects", "filter", "exclude", "all", "select_for_update"}


def _writes_in(path: Path) -> list[str]:
    """Calls in ``path`` that write the database: ``x.save()``/``x.delete()`` on anything (a
    model or a ModelForm), and the other write methods on a manager or queryset chain."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in WRITES:
            continue
        receiver = ast.unparse(node.func.value)
        chain = set(receiver.replace("(", ".").replace(")", ".").split("."))
        if name in ("save", "delete") or chain & QUERYSET_HINTS:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {receiver}.{name}()")
    return found


def test_views_do_not_write_models_directly():
    """Writes go through services (transaction, checks, audit): a view module never saves,
    deletes or updates a model or a ModelForm itself."""
    views = [
        p
        for app in ("wards", "models_registry", "campaigns")
        for p in (ROOT / app).rglob("*.py")
        if p.name in ("views.py", "api.py") or "views" in p.parent.name
    ]
    assert len(views) >= 5
    writes = [w for path in views for w in _writes_in(path)]
    assert writes == [], "\n".join(writes)


ROLE_COMPARISON = re.compile(
    r"""\brole\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*[(\[{]?\s*["'](?:official|approver|leader|admin)["']"""
)
PRODUCT_DIRS = ["campaigns", "models_registry", "wards", "mytho_security", "templates"]


def test_roles_are_compared_only_in_the_user_model():
    """Roles are asked through ``User.is_official``/``is_approver``/``is_leader``/
    ``is_city_role``/``is_admin_role`` (wards/models.py), never by a string literal."""
    found = []
    for folder in PRODUCT_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if ROLE_COMPARISON.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_the_role_check_finds_a_literal():
    assert ROLE_COMPARISON.search('if user.role == "official":')
    assert ROLE_COMPARISON.search("{% if user.role in ('approver', 'leader') %}")
    assert not ROLE_COMPARISON.search("if user.is_official:")
