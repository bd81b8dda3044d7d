"""Dark mode's markup: theme.js in <head>, undeferred (it must run before the first paint),
and the toggle hidden until site.js makes it work."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_theme_js_runs_in_the_head_and_the_toggle_waits_for_site_js(client, ana, who):
    if who == "member":
        client.force_login(ana)

    page = client.get("/login/" if who == "visitor" else "/notifications/").content.decode()

    head = page[: page.index("</head>")]
    script = re.search(r'<script src="[^"]*/web/theme\.js"[^>]*>', head)
    assert script is not None, "theme.js is not in <head>"
    assert "defer" not in script.group(0) and "async" not in script.group(0)
    # After the stylesheet, so the chosen theme and its colours arrive together.
    assert head.index("atelier.css") < script.start()
    toggle = re.search(r"<button[^>]*data-theme-toggle[^>]*>", page).group(0)
    assert " hidden" in toggle and 'aria-pressed="false"' in toggle
