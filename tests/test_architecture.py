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


ROLE_ATTRIBUTES = {"role", "is_official", "is_approver", "is_leader", "is_city_role"}
ROLE_ATTRIBUTES |= {"is_admin_role", "can_approve"}
# The role itself and its predicates are read in the user model, by the scoping mechanism and
# in each app's permissions.py; everything else asks a permission function.
ROLE_READERS = {"wards/models.py", "wards/scoping.py"}
PERMISSION_MODULES = [
    "wards/permissions.py",
    "models_registry/permissions.py",
    "campaigns/permissions.py",
    "campaigns/certifications/permissions.py",
    "campaigns/dashboard/permissions.py",
]


def _role_reads(source: str, name: str) -> list[str]:
    """Where ``source`` reads a user's role or a role predicate: ``x.role``,
    ``x.can_approve``..., or ``getattr(x, "can_approve", ...)``."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Attribute) and node.attr in ROLE_ATTRIBUTES:
            found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in ROLE_ATTRIBUTES
        ):
            found.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_role_predicates_are_read_only_in_the_permission_modules():
    """Views, templatetags, forms, selectors, services and the rest ask their app's
    ``permissions.py`` (``can_review_reports(user)``), never ``user.can_approve`` or
    ``user.role`` themselves: who may do what is written in one place per app."""
    allowed = ROLE_READERS | set(PERMISSION_MODULES)
    assert all((ROOT / path).is_file() for path in allowed)
    checked, found = 0, []
    for folder in ("campaigns", "models_registry", "wards", "mytho_security"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or name in allowed:
                continue
            checked += 1
            found += _role_reads(path.read_text(), name)
    assert checked > 50
    assert found == [], "\n".join(found)


def test_the_role_read_check_finds_an_offender():
    offender = (
        "if request.user.can_approve:\n"
        "    pass\n"
        "official = getattr(user, 'is_official', False)\n"
        "key = (user.role, user.unit_id)\n"
    )
    assert [line.split(": ", 1)[1] for line in _role_reads(offender, "views.py")] == [
        "request.user.can_approve",
        "getattr(user, 'is_official', False)",
        "user.role",
    ]
    clean = "if permissions.can_review_reports(request.user):\n    role = User.Role.OFFICIAL\n"
    assert _role_reads(clean, "views.py") == []
