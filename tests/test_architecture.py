"""The house rules about structure, checked on every run of the suite (so by `make test` and CI)."""

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
