"""First load of the dashboard on a slow 3G connection, in headless Chromium (Playwright).

Serves the app as in production (gunicorn, DEBUG=0, WhiteNoise with compressed, hashed static
files after ``collectstatic``) on 127.0.0.1, signs in once, then opens the dashboard in a fresh
browser context (cold cache, only the session cookie) with the network throttled the way
Chrome's DevTools "Slow 3G" preset does: 400 ms latency, 400 kbit/s down and up.

    .venv/bin/python bench/slow3g.py --runs 5            # needs a database with load_demo

It prints per run and as the median: time to the first byte, DOMContentLoaded, the load event,
and the bytes transferred; the goal is a load event under 3 s.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
PAGE = "/tong-quan/?from=2015&to=2020&unit=tp-my-tho"
TIMING = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  const all = performance.getEntriesByType("resource");
  const bytes = all.reduce((s, r) => s + r.transferSize, 0);
  const name = (r) => r.name.split("/").pop().split("?")[0];
  return {ttfb: n.responseStart, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          bytes: bytes + n.transferSize, requests: all.length + 1,
          resources: all.map(r => [name(r), r.transferSize, Math.round(r.responseEnd)])
            .concat([["(page)", n.transferSize, Math.round(n.responseEnd)]])};
}"""


def serve(port: int, static_root: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
    }
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    gunicorn = shutil.which("gunicorn", path=str(Path(python).parent)) or "gunicorn"
    server = subprocess.Popen(
        [
            gunicorn,
            "mytho_security.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tai-khoan/login/", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def measure(base: str, runs: int, chromium: str) -> list[dict]:
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        login = browser.new_context()
        page = login.new_page()
        page.goto(base + "/tai-khoan/login/")
        page.fill("input[name=username]", "leader")
        page.fill("input[name=password]", "MyTho@2020")
        page.click("main button[type=submit]")
        page.wait_for_url(base + "/")
        state = login.storage_state()
        login.close()
        for _ in range(runs):
            # A phone: small screen, cold cache, only the session cookie.
            context = browser.new_context(
                storage_state=state, viewport={"width": 390, "height": 844}, is_mobile=True
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            page.goto(base + PAGE, wait_until="load", timeout=120_000)
            results.append(page.evaluate(TIMING))
            context.close()
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--url", help="measure a server already running at this URL instead")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    server = None
    with tempfile.TemporaryDirectory() as static_root:
        if not args.url:
            server = serve(args.port, Path(static_root))
        base = args.url or f"http://127.0.0.1:{args.port}"
        try:
            results = measure(base, args.runs, chromium)
        finally:
            if server:
                server.terminate()
                server.wait()
    for i, r in enumerate(results, 1):
        print(
            f"run {i}: first byte {r['ttfb']:.0f} ms, DOMContentLoaded {r['dcl']:.0f} ms, "
            f"load {r['load']:.0f} ms, {r['bytes'] / 1024:.0f} KiB in {r['requests']} requests"
        )
    print("last run, by resource (bytes on the wire, finished at ms):")
    for name, size, end in sorted(results[-1]["resources"], key=lambda r: -r[1]):
        print(f"  {name:48} {size / 1024:7.1f} KiB  {end:6d} ms")
    med = {k: statistics.median(r[k] for r in results) for k in ("ttfb", "dcl", "load", "bytes")}
    print(
        f"median of {len(results)}: first byte {med['ttfb']:.0f} ms, DOMContentLoaded "
        f"{med['dcl']:.0f} ms, load {med['load']:.0f} ms, {med['bytes'] / 1024:.0f} KiB "
        f"(slow 3G: 400 ms latency, 400 kbit/s)"
    )


if __name__ == "__main__":
    main()
