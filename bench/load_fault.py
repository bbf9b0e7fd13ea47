"""Mixed load and a database outage against gunicorn, on a throw-away PostgreSQL cluster.

Bounded in time (about 2 minutes plus set-up). As root, on a machine with PostgreSQL 15:

    .venv/bin/python bench/load_fault.py --pg-port 5442 --http-port 8104

1. Creates a PostgreSQL cluster of its own (``pg_createcluster 15 <name> --port PG_PORT``),
   never touching the main one; migrates it and loads the demo; adds bench accounts (a leader,
   and an official for every unit whose report of the open year takes figures).
2. Starts gunicorn as the README's production section does (3 sync workers, DEBUG=0).
3. Load: ``--connections`` (64) clients for ``--seconds`` (60): a third read the leader's
   dashboard, a third the API summary, the rest are officials who open their form and save
   a new figure (one client per unit). Prints requests, rates, latencies and every non-2xx.
   A save is acknowledged by its 302 (POST/redirect/GET); every acknowledged save must be in
   the report's history (ValueChange) afterwards.
4. Fault: with 8 clients running, stops the cluster for 5 s (``pg_ctlcluster stop -m fast``),
   starts it again, and measures the seconds until /healthz and pages answer 2xx again.
   Acknowledged saves are checked again.
5. Stops gunicorn and drops the cluster.
"""

import argparse
import collections
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLUSTER = "i12bench"
VERSION = "15"
WORK = Path(tempfile.mkdtemp(prefix="mytho-bench-"))
CSRF = "b" * 32  # any 32-character secret, sent as cookie and form field alike


def sh(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603


def cluster_create(port: int) -> None:
    sh("pg_dropcluster", "--stop", VERSION, CLUSTER, check=False)
    sh("pg_createcluster", VERSION, CLUSTER, "--port", str(port), "--", "--auth=trust")
    cluster_ctl("start")


def cluster_ctl(action: str) -> None:
    args = ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, action]
    if action == "stop":
        args += ["-m", "fast"]
    sh(*args)


def environment(pg_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/mytho_bench_fault",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(WORK / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict[str, str]) -> dict:
    """Migrate, load the demo, make the bench accounts; returns the sessions and forms to use."""
    sh("psql", "-h", "127.0.0.1", "-p", env["DATABASE_URL"].split(":")[-1].split("/")[0],
       "-U", "postgres", "-qc", "CREATE DATABASE mytho_bench_fault")  # fmt: skip
    python = str(ROOT / ".venv/bin/python")
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--i-know-this-is-not-production"],
    ):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                       capture_output=True)  # fmt: skip
    script = r"""
import datetime, json
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from campaigns.models import ReportingPeriod
from campaigns import selectors
from wards.models import User

def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

today = timezone.localdate()
period = ReportingPeriod.objects.open_on(today).order_by("-year").first()
city = period.campaign.city
leader = User.objects.create(username="bench-leader", role="leader", unit=city)
officials = []
for unit in selectors.expected_units(period):
    report = selectors.report_or_blank(period, unit)
    if unit.pk == city.pk or not report.accepts_values_on(today):
        continue
    user = User.objects.create(username=f"bench-{unit.slug}", role="official", unit=unit)
    officials.append({"session": session_for(user), "slug": unit.slug, "unit_id": unit.pk})
print(json.dumps({"year": period.year, "leader": session_for(leader), "officials": officials}))
"""
    result = subprocess.run([python, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,  # noqa: S603
                            check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_kind = collections.defaultdict(list)  # kind -> [(t, status, seconds)]
        self.acks: list[tuple[int, str, str]] = []  # (unit id, field, value)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.by_kind[kind].append((time.monotonic(), status, seconds))


def request(port, method, path, session, body=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "Host": "127.0.0.1"}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, data, time.monotonic() - started
    except OSError:
        return 0, b"", time.monotonic() - started  # connection refused or reset
    finally:
        connection.close()


INPUT = re.compile(r'<input[^>]*name="(v_[^"]+|c_[^"]+|version)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def form_fields(html: str) -> dict[str, str]:
    fields = {}
    for match in INPUT.finditer(html):
        value = VALUE.search(match.group(0))
        fields[match.group(1)] = value.group(1).replace(".", "") if value else ""
    return fields


def official_loop(port, official, year, stats, stop, field="v_tip_offs"):
    path = f"/bao-cao/{year}/{official['slug']}/nhap-lieu/"
    counter = 0
    while not stop.is_set():
        status, html, seconds = request(port, "GET", path, official["session"])
        stats.add("official form", status, seconds)
        if status != 200:
            time.sleep(0.1)
            continue
        fields = form_fields(html.decode())
        if field not in fields:
            field = next((f for f in fields if f.startswith("v_")), field)
        counter += 1
        value = str(1000 + counter)
        fields.update({field: value, "action": "save", "csrfmiddlewaretoken": CSRF})
        status, _body, seconds = request(port, "POST", path, official["session"], urlencode(fields))
        stats.add("official save", status, seconds)
        if status == 302:
            with stats.lock:
                stats.acks.append((official["unit_id"], field[2:], value))


def reader_loop(port, kind, path, session, stats, stop):
    while not stop.is_set():
        status, _body, seconds = request(port, "GET", path, session)
        stats.add(kind, status, seconds)
        if status == 0:
            time.sleep(0.05)


def run_clients(port, plan, connections, seconds, stats, on_tick=None):
    stop = threading.Event()
    officials = plan["officials"][: max(1, connections // 3)]
    readers = connections - len(officials)
    threads = [
        threading.Thread(target=official_loop, args=(port, o, plan["year"], stats, stop))
        for o in officials
    ]
    for n in range(readers):
        kind, path = (
            ("leader dashboard", "/tong-quan/")
            if n % 2 == 0
            else ("api summary", "/api/v1/summary/")
        )
        threads.append(
            threading.Thread(
                target=reader_loop, args=(port, kind, path, plan["leader"], stats, stop)
            )
        )
    for thread in threads:
        thread.start()
    if on_tick:
        on_tick()
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(90)
    return len(officials), readers


def report(stats: Stats, elapsed: float) -> int:
    non_2xx = 0
    for kind, rows in sorted(stats.by_kind.items()):
        statuses = collections.Counter(status for _t, status, _s in rows)
        times = sorted(s for _t, _status, s in rows)
        ok = 302 if kind == "official save" else 200
        bad = sum(n for status, n in statuses.items() if status not in (200, ok))
        non_2xx += bad
        print(
            f"  {kind:<17} {len(rows):>6} requests {len(rows) / elapsed:7.1f}/s  "
            f"median {statistics.median(times) * 1000:6.0f} ms  "
            f"p95 {times[int(len(times) * 0.95) - 1] * 1000:6.0f} ms  statuses {dict(statuses)}"
        )
    return non_2xx


def check_acks(env: dict[str, str], acks) -> tuple[int, int]:
    script = r"""
import json, sys
from campaigns.models import ValueChange
acks = json.loads(sys.stdin.read())
present = set(ValueChange.objects.values_list("report__unit_id", "indicator__code", "new_value"))
present = {(u, c, str(int(v)) if v is not None else None) for u, c, v in present}
missing = [a for a in acks if tuple(a) not in present]
print(json.dumps([len(acks), len(missing)]))
"""
    result = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, input=json.dumps(acks),
    )  # fmt: skip
    total, missing = json.loads(result.stdout.strip().splitlines()[-1])
    return total, missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-port", type=int, default=5442)
    parser.add_argument("--http-port", type=int, default=8104)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--outage", type=float, default=5.0)
    args = parser.parse_args()

    env = environment(args.pg_port)
    print(f"throw-away cluster {VERSION}/{CLUSTER} on 127.0.0.1:{args.pg_port}")
    cluster_create(args.pg_port)
    gunicorn = None
    try:
        plan = prepare(env)
        print(f"open year {plan['year']}: {len(plan['officials'])} officials can save")
        gunicorn = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/gunicorn"), "mytho_security.wsgi", "--bind",
             f"127.0.0.1:{args.http_port}", "--workers", "3", "--no-control-socket"],
            cwd=ROOT, env=env, stderr=open(WORK / "gunicorn.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        for _ in range(100):
            if request(args.http_port, "GET", "/healthz", "")[0] == 200:
                break
            time.sleep(0.2)

        print(f"\n1. mixed load: {args.connections} connections for {args.seconds} s")
        stats = Stats()
        started = time.monotonic()
        savers, readers = run_clients(args.http_port, plan, args.connections, args.seconds, stats)
        elapsed = time.monotonic() - started
        print(f"  ({savers} officials saving, {readers} readers)")
        non_2xx = report(stats, elapsed)
        total, missing = check_acks(env, stats.acks)
        print(f"  non-2xx: {non_2xx}; acknowledged saves: {total}, missing afterwards: {missing}")

        print(f"\n2. fault: PostgreSQL stopped for {args.outage:g} s under 8 connections")
        fault = Stats()
        timeline = {}

        def outage():
            time.sleep(5)
            timeline["stop"] = time.monotonic()
            cluster_ctl("stop")
            timeline["stopped"] = time.monotonic()
            time.sleep(args.outage)
            cluster_ctl("start")
            timeline["started"] = time.monotonic()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if request(args.http_port, "GET", "/healthz", "", timeout=5)[0] == 200:
                    timeline["healthy"] = time.monotonic()
                    break
                time.sleep(0.02)
            time.sleep(5)

        run_clients(args.http_port, plan, 8, 0, fault, on_tick=outage)
        started_at = timeline["started"]
        first_ok = min(
            (t for rows in fault.by_kind.values() for t, status, _s in rows
             if status in (200, 302) and t > started_at),
            default=None,
        )  # fmt: skip
        errors = sum(
            1 for rows in fault.by_kind.values() for _t, status, _s in rows
            if status not in (200, 302)
        )  # fmt: skip
        print(f"  stop took {timeline['stopped'] - timeline['stop']:.2f} s; "
              f"requests refused or failed during the outage: {errors}")  # fmt: skip
        print(f"  /healthz 200 again {timeline['healthy'] - started_at:.2f} s after the start")
        if first_ok:
            print(f"  first page/API/save 2xx {first_ok - started_at:.2f} s after the start")
        total, missing = check_acks(env, stats.acks + fault.acks)
        print(f"  acknowledged saves (load + fault): {total}, missing afterwards: {missing}")
        return 0 if non_2xx == 0 and missing == 0 else 1
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(30)
        sh("pg_dropcluster", "--stop", VERSION, CLUSTER, check=False)


if __name__ == "__main__":
    sys.exit(main())
