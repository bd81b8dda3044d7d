"""The pages work under their Content-Security-Policy: Chromium reports no violation.

Issue 10, item 12. A violation (an inline style or script, a foreign host) shows up as a
console error and as a `securitypolicyviolation` event; either fails the test.
"""

import pytest
from playwright.sync_api import expect

from atelier.core.tests.factories import UserFactory
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture
def violations(page):
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(WATCH)

    def collect() -> list[str]:
        return console + page.evaluate("window.__cspViolations || []")

    return collect


def test_feed_and_dashboard_run_without_csp_violations(
    page, transactional_db, log_in, settle, violations
):
    build_community()
    UserFactory(username="stella", is_staff=True)

    log_in(page, "stella")
    expect(page.locator("#feed .card").first).to_be_visible()
    page.locator("#feed .card button").first.click()  # some script-driven UI at work
    settle()
    page.goto("/dashboard/")
    expect(page.locator("#dashboard")).to_have_attribute("data-ready", "true")
    settle()

    assert violations() == []
