"""The moderation pages (docs/pages.md): reporting, the staff queue, appeals and audit log,
a member's decisions and reports, and the moderation notices. Who may open each page, what
each form does, and that a bad input gets the API's own message (a 4xx, never a 500)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertRedirects
from rest_framework.test import APIClient

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.core.tests.factories import BlockFactory, UserFactory
from atelier.core.throttling import ScopedThrottle
from atelier.moderation import services
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report
from atelier.notification.models import Notification
from atelier.post.models import Post
from atelier.post.tests.factories import CommentFactory, CritiqueFactory, PostFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/moderation/", "/moderation/appeals/", "/moderation/log/"]


@pytest.fixture
def stella(db):
    """Stella, staff: she reads the queue and acts."""
    return UserFactory(username="stella", is_staff=True)


@pytest.fixture
def rex(db):
    """Rex reports; his name must never reach the member he reports."""
    return UserFactory(username="rex_reporter")


@pytest.fixture
def post(ben):
    return PostFactory(author=ben, title="Harbour at dawn", body="Shot on film.")


def _report(reporter, target_type, target_id, category="spam", text=""):
    report, _ = services.report_create(
        reporter=reporter,
        target_type=target_type,
        target_id=target_id,
        category=category,
        text=text,
    )
    return report


def _page(client, url, **data):
    response = client.post(url, data) if data else client.get(url)
    return response, response.content.decode()


def _api_message(user, url, body, field):
    """The API's message for the same bad input, to compare with the page's."""
    api = APIClient()
    api.force_authenticate(user)
    answer = api.post(url, body, format="json")
    assert answer.status_code == 400, answer.content
    return answer.json()[field][0]


# --- Who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_visitor_gets_a_401_page_with_a_log_in_link(client, path):
    for response in (client.get(path), client.post(path, {"action": "remove"})):
        assert response.status_code == 401
        page = response.content.decode()
        assert f'href="/login/?next={path}"' in page
        assert "Log in to continue" in page


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_member_who_is_not_staff_gets_a_404(client, ana, path):
    client.force_login(ana)

    assert client.get(path).status_code == 404
    assert client.post(path, {"action": "remove"}).status_code == 404


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_open_the_staff_pages(client, stella, path):
    client.force_login(stella)

    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/decisions/", "/report/post/1/"])
def test_the_member_pages_send_a_visitor_to_log_in(client, path):
    response = client.get(path)

    assertRedirects(response, f"/login/?next={path}", fetch_redirect_response=False)


def test_the_moderation_link_is_in_the_bar_of_staff_only(client, ana, stella):
    client.force_login(ana)
    assert 'href="/moderation/"' not in client.get("/notifications/").content.decode()
    client.force_login(stella)
    assert 'href="/moderation/"' in client.get("/notifications/").content.decode()


def test_the_decisions_page_is_linked_from_settings_and_notifications(client, ana):
    client.force_login(ana)

    for path in ("/settings/", "/notifications/"):
        assert 'href="/decisions/"' in client.get(path).content.decode(), path


# --- Report links ---------------------------------------------------------------------------


def test_report_links_show_on_what_others_wrote_never_on_mine(client, ana, ben, post):
    theirs = CommentFactory(post=post, author=ben, text="Mine, says Ben")
    mine = CommentFactory(post=post, author=ana, text="Mine, says Ana")
    critique = CritiqueFactory(post=post, author=ben)
    own_post = PostFactory(author=ana)
    client.force_login(ana)

    page = client.get(f"/posts/{post.id}/").content.decode()
    assert f'href="/report/post/{post.id}/"' in page
    assert f'href="/report/comment/{theirs.id}/"' in page
    assert f'href="/report/critique/{critique.id}/"' in page
    assert f'href="/report/comment/{mine.id}/"' not in page
    assert 'href="/report/post/' not in client.get(f"/posts/{own_post.id}/").content.decode()
    assert f'href="/report/user/{ben.id}/"' in client.get(f"/users/{ben.id}/").content.decode()
    assert 'href="/report/user/' not in client.get(f"/users/{ana.id}/").content.decode()


def test_a_visitor_sees_no_report_link(client, post):
    assert "/report/" not in client.get(f"/posts/{post.id}/").content.decode()


def test_a_collective_can_be_reported_by_others_than_its_creator(client, ana, ben):
    inkers = CollectiveFactory(name="Inkers", created_by=ben, visibility="public")
    client.force_login(ana)
    assert (
        f'href="/report/collective/{inkers.id}/"'
        in client.get(f"/collectives/{inkers.id}/").content.decode()
    )
    client.force_login(ben)
    assert "/report/" not in client.get(f"/collectives/{inkers.id}/").content.decode()


# --- Reporting ------------------------------------------------------------------------------


def test_reporting_a_post_files_a_report_and_gives_a_receipt(client, ana, post):
    client.force_login(ana)
    response, page = _page(client, f"/report/post/{post.id}/")
    assert response.status_code == 200
    assert "Harbour at dawn" in page
    # The nine categories, in words.
    for label in ("Harassment or bullying", "Violence or threats", "Self-harm", "Illegal content"):
        assert label in page

    response = client.post(
        f"/report/post/{post.id}/", {"category": "harassment", "text": "Copies my work"}
    )

    assertRedirects(response, f"/report/post/{post.id}/?sent=1", fetch_redirect_response=False)
    report = Report.objects.get()
    assert (report.reporter, report.target_type, report.target_id) == (ana, "post", post.id)
    assert (report.category, report.text, report.status) == ("harassment", "Copies my work", "open")
    receipt = client.get(response["Location"]).content.decode()
    assert "Thanks — we'll let you know" in receipt
    assert "Harassment or bullying" in receipt


def test_reporting_again_updates_my_open_report(client, ana, post):
    client.force_login(ana)
    client.post(f"/report/post/{post.id}/", {"category": "spam"})
    page = client.get(f"/report/post/{post.id}/").content.decode()
    assert "Sending again updates your report" in page

    client.post(f"/report/post/{post.id}/", {"category": "hate", "text": "worse"})

    assert list(Report.objects.values_list("category", "text")) == [("hate", "worse")]


@pytest.mark.parametrize("kind", ["comment", "critique", "user", "collective"])
def test_every_kind_of_target_can_be_reported(client, ana, ben, post, kind):
    target = {
        "comment": lambda: CommentFactory(post=post, author=ben, text="Rude words"),
        "critique": lambda: CritiqueFactory(post=post, author=ben, text="Rude critique"),
        "user": lambda: ben,
        "collective": lambda: CollectiveFactory(name="Spam Co", visibility="public"),
    }[kind]()
    client.force_login(ana)

    response = client.post(f"/report/{kind}/{target.id}/", {"category": "spam"})

    assert response.status_code == 302
    assert Report.objects.filter(target_type=kind, target_id=target.id, reporter=ana).exists()


def test_what_i_cannot_see_cannot_be_reported(client, ana, ben):
    private = ChannelFactory(collective__visibility="private")
    hidden = PostFactory(author=ben, channel=private)
    client.force_login(ana)

    for path in (
        f"/report/post/{hidden.id}/",
        "/report/post/999999/",
        f"/report/postcard/{hidden.id}/",
        f"/report/post/{2**64}/",
        f"/report/collective/{private.collective_id}/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {"category": "spam"}).status_code == 404, path
    assert not Report.objects.exists()


def test_a_block_does_not_stop_a_report_but_hides_what_it_hides(client, ana, ben, post):
    BlockFactory(blocker=ben, blocked=ana)
    client.force_login(ana)

    response, page = _page(client, f"/report/post/{post.id}/")

    assert response.status_code == 200
    assert "Harbour at dawn" not in page
    assert "hidden from you by a block" in page
    assert client.post(f"/report/post/{post.id}/", {"category": "spam"}).status_code == 302
    assert Report.objects.filter(reporter=ana).count() == 1


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "nope"}, "category"),
        ({"category": "spam", "text": "a" * 2001}, "text"),
        ({"category": "spam", "text": "bad\x00byte"}, "text"),
    ],
    ids=["no category", "unknown category", "too long", "NUL"],
)
def test_a_bad_report_gets_the_apis_message(client, ana, post, form, field):
    client.force_login(ana)
    # An empty select is no choice: the API is asked without the field.
    body = {"target_type": "post", "target_id": post.id}
    body.update({key: value for key, value in form.items() if value})
    expected = _api_message(ana, "/api/reports/", body, field)

    response, page = _page(client, f"/report/post/{post.id}/", **form)

    assert response.status_code == 400
    assert expected.replace('"', "&quot;") in page
    assert 'aria-invalid="true"' in page
    assert not Report.objects.exists()


def test_reporting_myself_is_refused_with_a_message(client, ana):
    client.force_login(ana)

    response, page = _page(client, f"/report/user/{ana.id}/", category="spam")

    assert response.status_code == 400
    assert "You cannot report yourself." in page


def test_the_page_and_the_api_share_the_report_rate(client, ana, ben, post, monkeypatch):
    monkeypatch.setitem(ScopedThrottle.THROTTLE_RATES, "report", "2/min")
    api = APIClient()
    api.force_authenticate(ana)
    other = PostFactory(author=ben)
    body = {"target_type": "post", "target_id": other.id, "category": "spam"}
    assert api.post("/api/reports/", body, format="json").status_code == 201
    client.force_login(ana)
    assert client.post(f"/report/post/{post.id}/", {"category": "spam"}).status_code == 302

    response, page = _page(client, f"/report/post/{post.id}/", category="hate")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "You may file at most 2 reports a minute. Try again in" in page
    assert Report.objects.get(target_id=post.id).category == "spam"


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_groups_reports_by_target_with_snapshot_and_history(
    client, ana, ben, cleo, rex, stella, post
):
    earlier = PostFactory(author=ben, title="Older one")
    _report(cleo, "post", earlier.id)
    services.moderation_act(
        actor=stella, target_type="post", target_id=earlier.id, action="remove", reason="Spam ring"
    )
    _report(ana, "post", post.id, "harassment", "He copies me")
    _report(rex, "post", post.id, "intellectual_property")
    Post.objects.filter(pk=post.pk).update(title="Edited after the report")
    _report(ana, "user", cleo.id, "spam")
    client.force_login(stella)

    page = client.get("/moderation/").content.decode()

    assert "2 targets with open reports" in page
    # Oldest first: the post, then the member.
    assert page.index(f'id="target-post-{post.id}"') < page.index(f'id="target-user-{cleo.id}"')
    item = page[
        page.index(f'id="target-post-{post.id}"') : page.index(f'id="target-user-{cleo.id}"')
    ]
    assert "2 reports" in item
    assert "Harbour at dawn" in item  # as reported, not as edited since
    assert "Harassment or bullying" in item and "Intellectual property" in item
    assert "He copies me" in item
    assert "Spam ring" in item  # the author's history: the decision about the older post
    # Only the actions that fit a post; a member's item offers the account actions.
    assert 'value="remove"' in item and 'value="suspend"' not in item
    member = page[page.index(f'id="target-user-{cleo.id}"') :]
    assert 'value="suspend"' in member and 'value="remove"' not in member


def _act_form(item_reports, **fields):
    return {"report_ids": [str(r.id) for r in item_reports], **fields}


def test_staff_remove_a_post_with_reasons(client, ana, rex, stella, post):
    reports = [_report(ana, "post", post.id), _report(rex, "post", post.id, "hate")]
    client.force_login(stella)

    response = client.post(
        "/moderation/",
        _act_form(
            reports,
            target_type="post",
            target_id=str(post.id),
            action="remove",
            category="hate",
            reason="Rule 3: no hate",
        ),
    )

    assertRedirects(response, "/moderation/", fetch_redirect_response=False)
    assert Post.objects.get(pk=post.pk).removed_at is not None
    decision = Decision.objects.get()
    assert (decision.action, decision.category, decision.reason) == (
        "remove",
        "hate",
        "Rule 3: no hate",
    )
    assert set(Report.objects.values_list("status", flat=True)) == {"resolved"}
    page = client.get("/moderation/").content.decode()
    assert f"Remove: post {post.id}, 2 reports decided." in page
    assert "No open reports." in page


def test_staff_mark_a_post_sensitive_with_a_warning(client, ana, stella, post):
    report = _report(ana, "post", post.id, "sexual_content")
    client.force_login(stella)

    client.post(
        "/moderation/",
        _act_form(
            [report],
            target_type="post",
            target_id=str(post.id),
            action="mark_sensitive",
            reason="Nudity without a warning",
            content_warning="Nudity",
        ),
    )

    assert Post.objects.get(pk=post.pk).content_warning == "Nudity"


def test_dismissing_needs_no_reason(client, ana, stella, post):
    report = _report(ana, "post", post.id)
    client.force_login(stella)

    response = client.post(
        "/moderation/",
        _act_form([report], target_type="post", target_id=str(post.id), action="dismiss"),
    )

    assert response.status_code == 302
    assert Report.objects.get().status == "dismissed"
    assert Post.objects.get(pk=post.pk).removed_at is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"action": "remove", "reason": ""}, "reason"),
        ({"action": "remove", "reason": "   "}, "reason"),
        ({"action": "suspend", "reason": "x"}, "action"),
        ({"reason": "x"}, "action"),
        ({"action": "explode", "reason": "x"}, "action"),
        ({"action": "remove", "reason": "x", "category": "nope"}, "category"),
        ({"action": "remove", "reason": "x\x00"}, "reason"),
        (
            {"action": "mark_sensitive", "reason": "x", "content_warning": "w" * 201},
            "content_warning",
        ),
        ({"action": "remove", "reason": "x", "target_id": "abc"}, "target_id"),
        ({"action": "remove", "reason": "x", "target_type": "planet"}, "target_type"),
    ],
    ids=[
        "no reason",
        "blank reason",
        "action for another target",
        "no action",
        "unknown action",
        "unknown category",
        "NUL",
        "long warning",
        "bad id",
        "bad type",
    ],
)
def test_a_refused_action_gets_the_apis_message(client, ana, stella, post, fields, field):
    report = _report(ana, "post", post.id)
    form = {"target_type": "post", "target_id": str(post.id), **fields}
    body = {k: v for k, v in form.items()}
    body["target_id"] = int(body["target_id"]) if body["target_id"].isdigit() else body["target_id"]
    expected = _api_message(stella, "/api/moderation/actions/", body, field)
    client.force_login(stella)

    response, page = _page(client, "/moderation/", **_act_form([report], **form))

    assert response.status_code == 400
    assert expected.replace('"', "&quot;").replace("'", "&#x27;") in page
    assert not Decision.objects.exists()
    assert Post.objects.get(pk=post.pk).removed_at is None
    assert "\x00" not in page
    if field in ("reason", "action"):
        # The form keeps what was written, and is marked at the field at fault.
        assert 'aria-invalid="true"' in page


def test_acting_on_reports_decided_meanwhile_says_so(client, ana, stella, post):
    report = _report(ana, "post", post.id)
    services.moderation_act(
        actor=stella, target_type="post", target_id=post.id, action="dismiss", reason=""
    )
    client.force_login(stella)

    response, page = _page(
        client,
        "/moderation/",
        **_act_form(
            [report], target_type="post", target_id=str(post.id), action="remove", reason="x"
        ),
    )

    assert response.status_code == 400
    assert "Each report must be an open report on this target." in page


def test_acting_on_a_target_that_does_not_exist_is_a_404(client, stella):
    client.force_login(stella)

    response = client.post(
        "/moderation/",
        {"target_type": "post", "target_id": "999999", "action": "remove", "reason": "x"},
    )

    assert response.status_code == 404


def test_the_queue_is_paged(client, ana, stella, ben):
    posts = [PostFactory(author=ben) for _ in range(21)]
    for p in posts:
        _report(ana, "post", p.id)
    client.force_login(stella)

    first = client.get("/moderation/").content.decode()
    second = client.get("/moderation/?page=2").content.decode()

    assert (
        f'id="target-post-{posts[0].id}"' in first
        and f'id="target-post-{posts[20].id}"' not in first
    )
    assert f'id="target-post-{posts[20].id}"' in second
    assert 'href="/moderation/?page=2"' in first
    assert client.get("/moderation/?page=x").status_code == 200


# --- Appeals (staff) ------------------------------------------------------------------------


@pytest.fixture
def appealed(ana, ben, stella, post):
    _report(ana, "post", post.id)
    decision = services.moderation_act(
        actor=stella, target_type="post", target_id=post.id, action="remove", reason="Rule 3"
    )
    return services.appeal_create(user=ben, decision_id=decision.id, text="It is my own photo")


def test_staff_see_open_appeals_and_reverse_one(client, stella, post, appealed):
    client.force_login(stella)
    page = client.get("/moderation/appeals/").content.decode()
    assert "1 open appeal" in page
    assert "It is my own photo" in page and "Rule 3" in page and "Harbour at dawn" in page

    response = client.post(
        "/moderation/appeals/",
        {"appeal": str(appealed.id), "outcome": "reverse", "reason": "It is his photo"},
    )

    assertRedirects(response, "/moderation/appeals/", fetch_redirect_response=False)
    appeal = Appeal.objects.get()
    assert (appeal.outcome, appeal.reason) == ("reverse", "It is his photo")
    assert Post.objects.get(pk=post.pk).removed_at is None
    page = client.get("/moderation/appeals/").content.decode()
    assert "Reversed: the decision" in page and "No open appeals." in page


def test_staff_uphold_an_appeal(client, stella, post, appealed):
    client.force_login(stella)

    client.post(
        "/moderation/appeals/",
        {"appeal": str(appealed.id), "outcome": "uphold", "reason": "The rule holds"},
    )

    assert Appeal.objects.get().outcome == "uphold"
    assert Post.objects.get(pk=post.pk).removed_at is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "reverse", "reason": ""}, "reason"),
        ({"reason": "x"}, "outcome"),
        ({"outcome": "maybe", "reason": "x"}, "outcome"),
        ({"outcome": "reverse", "reason": "x\x00"}, "reason"),
    ],
    ids=["no reason", "no outcome", "unknown outcome", "NUL"],
)
def test_a_refused_appeal_decision_gets_the_apis_message(client, stella, appealed, fields, field):
    expected = _api_message(stella, f"/api/moderation/appeals/{appealed.id}/decide/", fields, field)
    client.force_login(stella)

    response, page = _page(client, "/moderation/appeals/", appeal=str(appealed.id), **fields)

    assert response.status_code == 400
    assert expected.replace('"', "&quot;") in page
    assert Appeal.objects.get().outcome == ""


def test_deciding_an_appeal_twice_or_a_missing_one(client, stella, appealed):
    services.appeal_decide(actor=stella, appeal_id=appealed.id, outcome="uphold", reason="ok")
    client.force_login(stella)

    response, page = _page(
        client, "/moderation/appeals/", appeal=str(appealed.id), outcome="reverse", reason="x"
    )
    assert response.status_code == 400
    assert "This appeal has already been decided." in page
    for raw in ("", "abc", "999999", str(2**70)):
        answer = client.post(
            "/moderation/appeals/", {"appeal": raw, "outcome": "reverse", "reason": "x"}
        )
        assert answer.status_code == 404, raw


# --- The audit log --------------------------------------------------------------------------


def test_the_audit_log_lists_and_filters(client, ana, ben, stella, post):
    other = UserFactory(username="otto", is_staff=True)
    _report(ana, "post", post.id)
    services.moderation_act(
        actor=stella, target_type="post", target_id=post.id, action="remove", reason="Rule 3"
    )
    services.moderation_act(
        actor=other, target_type="user", target_id=ben.id, action="warn", reason="Be kind"
    )
    client.force_login(stella)

    page = client.get("/moderation/log/").content.decode()
    assert "2 entries" in page
    assert page.index("Be kind") < page.index("Rule 3")  # newest first
    assert f'<option value="{other.id}">otto</option>' in page

    by_otto = client.get(f"/moderation/log/?actor={other.id}").content.decode()
    assert "Be kind" in by_otto and "Rule 3" not in by_otto
    posts_only = client.get("/moderation/log/?target_type=post").content.decode()
    assert "Rule 3" in posts_only and "Be kind" not in posts_only
    removals = client.get("/moderation/log/?action=remove").content.decode()
    assert "Rule 3" in removals and "Be kind" not in removals
    assert (
        "Nothing recorded that matches"
        in client.get("/moderation/log/?action=suspend").content.decode()
    )


@pytest.mark.parametrize(
    "query", ["actor=abc", "actor=0", "target_type=planet", f"actor={2**70}", "action=" + "a" * 31]
)
def test_a_bad_filter_is_a_400_with_a_message(client, stella, query):
    client.force_login(stella)

    response, page = _page(client, f"/moderation/log/?{query}")

    assert response.status_code == 400
    assert 'role="alert"' in page


def test_the_audit_log_is_paged_keeping_its_filters(client, stella, ben):
    for n in range(51):
        AuditEntry.objects.create(
            actor=stella,
            actor_name="stella",
            action="warn",
            target_type="user",
            target_id=ben.id,
            reason=f"entry {n}",
        )
    client.force_login(stella)

    page = client.get("/moderation/log/?action=warn").content.decode()

    assert "51 entries" in page
    assert 'href="/moderation/log/?action=warn&amp;page=2"' in page
    assert "entry 0<" not in page
    assert "entry 0<" in client.get("/moderation/log/?action=warn&page=2").content.decode()


# --- A member's decisions and reports -------------------------------------------------------------


@pytest.fixture
def removal(rex, stella, post):
    _report(rex, "post", post.id, "intellectual_property", "Rex says it is stolen")
    return services.moderation_act(
        actor=stella,
        target_type="post",
        target_id=post.id,
        action="remove",
        reason="Rule 5: credit the work",
    )


def test_the_author_reads_the_statement_of_reasons_without_the_reporter(client, ben, removal):
    client.force_login(ben)

    response, page = _page(client, "/decisions/")

    assert response.status_code == 200
    item = page[page.index(f'id="decision-{removal.id}"') :]
    assert "Remove" in item and "Intellectual property" in item
    assert "Rule 5: credit the work" in item and "Harbour at dawn" in item
    assert "rex_reporter" not in page and "Rex says it is stolen" not in page
    assert "stella" not in page  # the moderators act as one
    assert f'id="appeal-{removal.id}"' in page  # an appeal form
    # The removed post is named, not linked: it is a 404 for its author too.
    assert f'href="/posts/{removal.target_id}/"' not in page


def test_the_author_appeals_once(client, ben, removal):
    client.force_login(ben)

    response = client.post("/decisions/", {"decision": str(removal.id), "text": "It is my photo"})

    assertRedirects(response, f"/decisions/#decision-{removal.id}", fetch_redirect_response=False)
    assert Appeal.objects.get().text == "It is my photo"
    page = client.get("/decisions/").content.decode()
    assert "Your appeal was sent" in page and "Waiting for a moderator" in page
    assert f'id="appeal-{removal.id}"' not in page  # no second form
    response, page = _page(client, "/decisions/", decision=str(removal.id), text="Again")
    assert response.status_code == 400
    assert "This decision has already been appealed." in page
    assert Appeal.objects.count() == 1


def test_the_outcome_of_the_appeal_is_shown(client, ben, stella, removal):
    appeal = services.appeal_create(user=ben, decision_id=removal.id, text="Mine")
    services.appeal_decide(actor=stella, appeal_id=appeal.id, outcome="reverse", reason="Fair")
    client.force_login(ben)

    page = client.get("/decisions/").content.decode()

    assert "Reversed on" in page and "Fair" in page
    # Reversed, the post is back: now it is linked.
    assert f'href="/posts/{removal.target_id}/"' in page


@pytest.mark.parametrize(
    ("text", "field"), [("", "text"), ("   ", "text"), ("x\x00", "text"), ("a" * 5001, "text")]
)
def test_a_bad_appeal_gets_the_apis_message(client, ben, removal, text, field):
    expected = _api_message(
        ben, f"/api/moderation/decisions/{removal.id}/appeal/", {"text": text}, field
    )
    client.force_login(ben)

    response, page = _page(client, "/decisions/", decision=str(removal.id), text=text)

    assert response.status_code == 400
    assert expected in page
    assert not Appeal.objects.exists()


def test_a_decision_not_about_me_or_not_a_decision_is_a_404(client, ana, removal):
    client.force_login(ana)

    for raw in (str(removal.id), "", "abc", "999999", str(2**70)):
        assert client.post("/decisions/", {"decision": raw, "text": "x"}).status_code == 404


def test_too_late_to_appeal(client, ben, removal, settings):
    Decision.objects.filter(pk=removal.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MODERATION_APPEAL_DAYS + 1)
    )
    client.force_login(ben)

    page = client.get("/decisions/").content.decode()
    assert "The time to appeal ended" in page and f'id="appeal-{removal.id}"' not in page
    response, page = _page(client, "/decisions/", decision=str(removal.id), text="Please")
    assert response.status_code == 400
    assert "Decisions can be appealed within 30 days." in page


def test_my_reports_show_their_status(client, rex, ben, removal):
    other = PostFactory(author=ben, title="Still open")
    _report(rex, "post", other.id, "spam")
    client.force_login(rex)

    page = client.get("/decisions/").content.decode()

    assert "No decisions about you." in page
    assert "“Still open”: Spam" in page and "Waiting for a moderator" in page
    assert "“Harbour at dawn”: Intellectual property" in page and "Decided: Remove" in page


# --- Notifications --------------------------------------------------------------------------


def test_moderation_notices_say_what_happened_and_lead_to_the_decisions(
    client, ben, rex, stella, removal
):
    appeal = services.appeal_create(user=ben, decision_id=removal.id, text="Mine")
    services.appeal_decide(actor=stella, appeal_id=appeal.id, outcome="uphold", reason="Holds")
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "decision",
        "report_decided",
        "appeal_decided",
    }
    client.force_login(ben)

    page = client.get("/notifications/").content.decode()

    assert "The moderators took a decision about your post." in page
    assert "The moderators decided on your appeal about your post." in page
    assert page.count('href="/decisions/#decisions"') == 2
    assert "stella" not in page
    client.force_login(rex)
    page = client.get("/notifications/").content.decode()
    assert "The moderators decided on your report about a post." in page
    assert 'href="/decisions/#reports"' in page


def test_a_notice_about_an_account_says_so(client, ben, stella):
    services.moderation_act(
        actor=stella, target_type="user", target_id=ben.id, action="warn", reason="Be kind"
    )
    client.force_login(ben)

    page = client.get("/notifications/").content.decode()

    assert "The moderators took a decision about your account." in page
    decisions = client.get("/decisions/").content.decode()
    assert "Warn" in decisions and "your account" in decisions and "Be kind" in decisions


def test_a_collective_member_sees_the_collective_report_link(client, ana, ben):
    inkers = CollectiveFactory(name="Inkers", created_by=ben, visibility="private")
    MemberFactory(collective=inkers, user=ana)
    client.force_login(ana)

    page = client.get(f"/collectives/{inkers.id}/").content.decode()

    assert f'href="/report/collective/{inkers.id}/"' in page
