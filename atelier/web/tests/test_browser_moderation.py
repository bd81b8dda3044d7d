"""Issue 18's story in headless Chromium, at 375 px and 1280 px, through the pages only:

1. a member (Ana) reports a post (Ben's, with a picture);
2. staff (Stella) remove it, with reasons, from /moderation/;
3. the post is gone from a second member's (Cleo's) feed page, cached before the removal,
   and its picture answers 404;
4. the author reads the statement of reasons on /decisions/ and appeals;
5. staff reverse the decision from /moderation/appeals/, and the post is back.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from atelier.core.tests.factories import UserFactory
from atelier.moderation import services
from atelier.moderation.models import Appeal, Decision, Report
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.conftest import DESKTOP, PHONE, QuietNetwork
from atelier.web.tests.factories import build_community
from atelier.web.tests.media_helpers import picture_for
from atelier.web.tests.test_browser_pages_access import low_contrast

pytestmark = pytest.mark.browser

FEED = re.compile(r"/api/posts/\?")


@pytest.fixture
def community(transactional_db):
    community = build_community()
    community.stella = UserFactory(username="stella", is_staff=True)
    community.picture = picture_for(community.fellow_post)
    return community


@pytest.fixture
def tabs(browser, live_server, log_in):
    """More signed-in members, each in a browser context of their own (own cookies)."""
    opened = []

    def open_tab(username: str, viewport: dict, next_url: str = "/"):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(5_000)
        network = QuietNetwork(context)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        opened.append((context, network, tab, errors))
        log_in(tab, username, next_url=next_url)
        return tab

    def settle_all():
        for _context, network, tab, _errors in opened:
            network.settle(tab)

    open_tab.settle_all = settle_all
    yield open_tab
    settle_all()
    for context, _network, _tab, errors in opened:
        context.close()
        assert not errors, f"JavaScript errors on the page: {errors}"


def fits(tab, viewport: dict) -> None:
    """Nothing on the page is wider than the screen."""
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{tab.url} is {width} px wide"


def load_feed(tab) -> dict:
    """(Re)load the feed page; the feed's first answer, as the page received it."""
    tab.wait_for_load_state("networkidle")  # not the answer to the page being left
    with tab.expect_response(FEED) as answer:
        tab.goto("/?ordering=personalized")
    body = answer.value.json()
    expect(tab.locator("#feed .card").first).to_be_visible()
    return body


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_report_remove_appeal_reverse(page, community, log_in, tabs, settle, viewport, screenshot):
    post = community.fellow_post
    card = f"#post-{post.pk}"
    picture_url = reverse("media-file", kwargs={"name": community.picture.file})

    # Cleo's feed shows the post and is cached before anything happens.
    cleo = tabs("cleo", viewport, next_url="/?ordering=personalized")
    expect(cleo.locator(card)).to_be_visible()
    # Each visit marks the cards on screen seen (sent as the page is left), which rebuilds
    # her ranking; once they all are, the page comes from the cache.
    assert any(load_feed(cleo)["ranking"]["cached"] for _ in range(5))
    assert cleo.request.get(picture_url).status == 200

    # 1. Ana reports the post from its page.
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url=f"/posts/{post.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Report this post").click()
    expect(page.locator("h1")).to_have_text("Report this post")
    expect(page.locator(f"#report-target-{post.pk}")).to_contain_text("Harbour at dawn")
    page.get_by_label("What is wrong with it?").select_option(label="Intellectual property")
    page.get_by_label("Anything the moderators should know?").fill("This is my photograph.")
    fits(page, viewport)
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").click()
    receipt = page.locator("#report-receipt")
    expect(receipt).to_contain_text("Thanks — we'll let you know")
    expect(receipt).to_contain_text("Intellectual property")
    screenshot(page, f"report-receipt-{viewport['width']}")

    # 2. Stella removes it, with reasons, from the queue.
    stella = tabs("stella", viewport, next_url="/moderation/")
    item = stella.locator(f"#target-post-{post.pk}")
    expect(item).to_contain_text("1 report")
    expect(item.locator(".snapshot")).to_contain_text("Harbour at dawn")
    expect(item.locator(".report-list")).to_contain_text("Intellectual property")
    expect(item.locator(".report-list")).to_contain_text("This is my photograph.")
    fits(stella, viewport)
    screenshot(stella, f"moderation-{viewport['width']}")
    item.get_by_label("Action").select_option(label="Remove")
    item.get_by_label("Reasons").fill("Rule 5: post only work you made.")
    with stella.expect_navigation():
        item.get_by_role("button", name="Apply").click()
    expect(stella.locator("#messages")).to_contain_text(f"Remove: post {post.pk}")
    expect(stella.locator(f"#target-post-{post.pk}")).to_have_count(0)

    # 3. Gone from Cleo's feed, cached before: the removal moved the visibility epoch, so
    # her feed is ranked again; and its picture is a 404.
    after = load_feed(cleo)
    assert after["ranking"]["cached"] is False
    assert post.pk not in [p["id"] for p in after["results"]]
    expect(cleo.locator(f"#post-{community.newest_post.pk}")).to_be_visible()
    expect(cleo.locator(card)).to_have_count(0)
    assert cleo.request.get(picture_url).status == 404
    assert cleo.goto(f"/posts/{post.pk}/").status == 404

    # 4. Ben reads the statement of reasons (from his notification) and appeals.
    ben = tabs("ben", viewport, next_url="/notifications/")
    with ben.expect_navigation():
        ben.get_by_role("link", name=re.compile("took a decision about your post")).click()
    expect(ben).to_have_url(re.compile(r"/decisions/#decisions$"))
    decision = Decision.objects.get()
    statement = ben.locator(f"#decision-{decision.pk}")
    expect(statement.locator(".decision-action")).to_have_text("Remove")
    expect(statement.locator(".decision-category")).to_have_text("Intellectual property")
    expect(statement.locator(".decision-reason")).to_have_text("Rule 5: post only work you made.")
    expect(statement).to_contain_text("Harbour at dawn")
    expect(ben.locator("main")).not_to_contain_text("ana")  # never the reporter
    expect(ben.locator("main")).not_to_contain_text("This is my photograph.")
    statement.get_by_label("Appeal this decision").fill("I took this photo myself, on film.")
    fits(ben, viewport)
    screenshot(ben, f"decisions-{viewport['width']}")
    with ben.expect_navigation():
        statement.get_by_role("button", name="Send appeal").click()
    expect(ben.locator("#messages")).to_contain_text("Your appeal was sent")
    expect(statement.locator(".appeal-outcome")).to_have_text("Waiting for a moderator.")

    # 5. Stella reverses the decision; the post is back.
    stella.goto("/moderation/appeals/")
    appeal = Appeal.objects.get()
    pending = stella.locator(f"#appeal-{appeal.pk}")
    expect(pending).to_contain_text("I took this photo myself, on film.")
    expect(pending).to_contain_text("Rule 5: post only work you made.")
    fits(stella, viewport)
    pending.get_by_label("Reasons").fill("The negatives show it is his.")
    with stella.expect_navigation():
        pending.get_by_role("button", name="Reverse the decision").click()
    expect(stella.locator("#messages")).to_contain_text("Reversed")
    expect(stella.locator(f"#appeal-{appeal.pk}")).to_have_count(0)

    back = load_feed(cleo)
    assert post.pk in [p["id"] for p in back["results"]]
    expect(cleo.locator(card)).to_be_visible()
    assert cleo.request.get(picture_url).status == 200
    ben.goto(f"/posts/{post.pk}/")
    expect(ben.locator("h1.post-title")).to_have_text("Harbour at dawn")
    expect(ben.locator(".post-media img")).to_be_visible()
    ben.goto("/decisions/")
    expect(ben.locator(f"#decision-{decision.pk} .appeal-outcome")).to_contain_text("Reversed on")

    # The log has the story, newest first.
    stella.goto("/moderation/log/")
    expect(stella.locator(".log-action")).to_have_text(["appeal_reverse", "remove"])
    fits(stella, viewport)

    tabs.settle_all()
    settle()
    assert Post.objects.get(pk=post.pk).removed_at is None
    assert Report.objects.get().status == "resolved"
    assert Appeal.objects.get().outcome == "reverse"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_a_refused_report_and_action_say_why_at_the_field(
    page, community, log_in, tabs, settle, viewport
):
    """The forms from the keyboard: a report without a category, an action without a
    reason, each refused with the API's message at its field."""
    post = community.fellow_post
    page.set_viewport_size(viewport)
    log_in(page, "ana", next_url="/report/comment/999999/")
    assert page.locator("h1").inner_text() != "Report this comment"  # a 404 page
    page.goto(f"/report/post/{post.pk}/")
    # The browser asks for a category first (required); without it, the server says so.
    page.evaluate("document.querySelector('#report-category').removeAttribute('required')")
    page.get_by_label("Anything the moderators should know?").focus()
    page.keyboard.type("spam link")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").press("Enter")
    expect(page.locator("#report-category-error")).to_have_text("This field is required.")
    expect(page.locator("#report-category")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Anything the moderators should know?")).to_have_value("spam link")
    page.get_by_label("What is wrong with it?").select_option("spam")
    with page.expect_navigation():
        page.get_by_role("button", name="Send report").press("Enter")
    expect(page.locator("#report-receipt")).to_be_visible()

    stella = tabs("stella", viewport, next_url="/moderation/")
    item = stella.locator(f"#target-post-{post.pk}")
    item.get_by_label("Action").select_option("remove")
    with stella.expect_navigation():
        item.get_by_role("button", name="Apply").press("Enter")
    expect(stella.locator(f"#act-post-{post.pk}-error")).to_have_text("A reason is required.")
    expect(stella.locator(f"#act-post-{post.pk}-reason")).to_have_attribute("aria-invalid", "true")
    expect(stella.locator(f"#act-post-{post.pk}-action")).to_have_value("remove")
    fits(stella, viewport)

    tabs.settle_all()
    settle()
    assert Post.objects.get(pk=post.pk).removed_at is None
    assert Report.objects.get().status == "open"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_moderation_pages_have_aa_contrast_and_fit(page, community, log_in, viewport):
    """Every text on the report form and receipt, the queue, appeals, log and decisions
    pages, each with something in it, meets WCAG AA; nothing is wider than the screen."""
    post = community.fellow_post
    report, _ = services.report_create(
        reporter=community.ana, target_type="post", target_id=post.pk, category="spam", text="x"
    )
    removed = PostFactory(author=community.ben, title="Removed one")
    services.report_create(
        reporter=community.cleo, target_type="post", target_id=removed.pk, category="hate", text=""
    )
    decision = services.moderation_act(
        actor=community.stella,
        target_type="post",
        target_id=removed.pk,
        action="remove",
        reason="Rule 3",
    )
    services.appeal_create(user=community.ben, decision_id=decision.pk, text="Please look again")
    page.set_viewport_size(viewport)

    log_in(page, "stella", next_url="/moderation/")
    page.locator(f"#target-post-{post.pk} .history summary").click()
    for path in ("/moderation/", "/moderation/appeals/", "/moderation/log/"):
        if path != "/moderation/":
            page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        low_contrast(page)
        fits(page, viewport)

    page.context.clear_cookies()
    log_in(page, "ben", next_url="/decisions/")
    expect(page.locator(f"#decision-{decision.pk}")).to_be_visible()
    low_contrast(page)
    fits(page, viewport)
    page.context.clear_cookies()
    log_in(page, "cleo", next_url=f"/report/user/{community.ben.pk}/")
    low_contrast(page)
    fits(page, viewport)
    page.goto(f"/report/post/{community.newest_post.pk}/?sent=1")  # her own: no receipt yet
    expect(page.locator("#report-form")).to_be_visible()
    page.goto("/notifications/")
    low_contrast(page)
