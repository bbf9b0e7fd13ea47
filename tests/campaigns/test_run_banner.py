"""`make run HOST=…`: the demo banner prints the address really served."""

import subprocess
from pathlib import Path

from campaigns.management.commands.load_demo import served_at

ROOT = Path(__file__).resolve().parent.parent.parent


def test_banner_prints_the_address_given_to_runserver():
    assert served_at("127.0.0.1:8000") == "http://127.0.0.1:8000/"
    assert served_at("127.0.0.1:8080") == "http://127.0.0.1:8080/"
    assert served_at("8081") == "http://127.0.0.1:8081/"
    assert "this machine's address>:8000/" in served_at("0.0.0.0:8000")


def test_make_run_passes_host_to_the_banner_and_to_runserver():
    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run", "HOST=127.0.0.1:8090"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "load_demo --address 127.0.0.1:8090" in plan
    assert "runserver 127.0.0.1:8090" in plan
    assert "pip install --progress-bar on" in plan  # install shows its progress
