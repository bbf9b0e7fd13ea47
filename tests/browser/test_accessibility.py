"""WCAG AA contrast on the pages of the main journeys, checked by axe-core in Chromium.

axe-core (tests/browser/vendor/axe.min.js, 4.14) is injected into each page; the context
bypasses the Content-Security-Policy only for that injection. Any ``color-contrast`` violation
fails, listing the elements and their ratios.
"""

from pathlib import Path

import pytest

from campaigns.models import UnitReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
CHECK = "() => axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})"

PAGES = {
    "official": [
        "/",
        "/bao-cao/",
        "/bao-cao/2020/phuong-1/",
        "/tong-quan/",
        "/mo-hinh/",
        "/danh-hieu/",
        "/tro-giup/",
    ],
    "approver": [
        "/",
        "/duyet-bao-cao/2020/",
        "/bao-cao/2020/phuong-2/",
        "/tien-do-bao-cao/2020/",
        "/danh-hieu/ho-so/",
    ],
    "leader": [
        "/",
        "/tong-quan/?from=2015&to=2020&unit=tp-my-tho",
        "/tong-quan/?from=2015&to=2020&unit=tp-my-tho&submitted=1",
        "/bao-cao-so-ket/?from=2015&to=2020&unit=tp-my-tho",
        "/tong-quan/chi-tieu/offenders_handled/?from=2015&to=2020&unit=tp-my-tho",
        # Today's ground with the open year: the five wards' map and the partial-year marks.
        "/tong-quan/",
        "/bao-cao-so-ket/?from=2025&to=2026&unit=tp-my-tho",
    ],
    "admin": ["/quan-tri/", "/quan-tri/wards/administrativeunit/", "/quan-tri/wards/unitboundary/"],
}
USERS = {"official": "phuong-1", "approver": "approver", "leader": "leader", "admin": "admin"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Reduced motion: Bootstrap then draws buttons without their colour transition, so axe
    # never measures a button halfway between two states (the user menu just opened).
    return {
        **browser_context_args,
        "bypass_csp": True,
        "viewport": {"width": 1280, "height": 900},
        "reduced_motion": "reduce",
    }


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(CHECK)
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            data = (node.get("any") or [{}])[0].get("data") or {}
            found.append(
                f"{page.url.split('/', 3)[-1]}: {node['html'][:90]} — "
                f"{data.get('fgColor')} on {data.get('bgColor')}: {data.get('contrastRatio')}:1"
            )
    return found


def test_main_journeys_have_no_contrast_violation(page, live_server, demo_data, sign_in):
    # A report waiting for approval: the approver's yellow "Return to the unit…" button shows.
    UnitReport.objects.filter(period__year=2020, unit__slug="phuong-2").update(status="submitted")
    found = []
    page.goto(live_server.url + "/tai-khoan/login/")
    found += _violations(page)
    for role, paths in PAGES.items():
        page.context.clear_cookies()
        sign_in(USERS[role])
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status < 400, (path, response.status)
            found += _violations(page)
            # The user menu open: its links and buttons too.
            if path == "/" and page.locator("#user-menu").count():
                page.click("#user-menu")
                page.locator("#user-menu + .dropdown-menu.show").wait_for()
                found += _violations(page)
                page.keyboard.press("Escape")
    unique = list(dict.fromkeys(found))
    assert unique == [], "\n".join(unique)
