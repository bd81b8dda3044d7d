"""Notifications in headless Chromium: the bell, a fellow request accepted from the list."""

import pytest
from playwright.sync_api import expect

from atelier.core.models import UserFellow
from atelier.core.services import fellow_request_create
from atelier.web.tests.conftest import DESKTOP, PHONE
from atelier.web.tests.factories import build_community

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_accept_a_fellow_request_from_the_notifications(
    page, transactional_db, log_in, settle, viewport, nav
):
    community = build_community()
    relation, _ = fellow_request_create(from_user=community.cleo, to_user_id=community.ana.id)
    page.set_viewport_size(viewport)
    log_in(page, "ana")

    bell = nav(page, "Notifications")
    expect(bell).to_be_visible()
    assert bell.bounding_box()["x"] + bell.bounding_box()["width"] <= viewport["width"]
    expect(nav(page, "Log out")).to_be_in_viewport()
    with page.expect_navigation():
        bell.click()
    request = page.locator(f"#request-{relation.id}")
    expect(request).to_contain_text("cleo asked to be your fellow")
    expect(page.locator("#notifications")).to_contain_text("cleo asked to be your fellow")

    with page.expect_navigation():
        request.locator("button[value=accept]").click()
    expect(page.locator(f"#request-{relation.id}")).to_have_count(0)
    settle()
    assert UserFellow.objects.get(pk=relation.id).status == "accepted"
