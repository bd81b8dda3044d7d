"""Content warnings on the pages: the fold on the post page and the grids (absent with the
member's "Always show sensitive content"), the feed's flag for its script, the author's
"Edit content warning" form, the composer's field and the settings' checkbox."""

import html
import re

import pytest

from atelier.collective.tests.factories import ChannelFactory, CollectiveFactory, MemberFactory
from atelier.core.models import UserPreference
from atelier.core.tests.factories import UserFactory
from atelier.moderation.services import moderation_act
from atelier.post.models import Post
from atelier.post.tests.factories import PostFactory
from atelier.web.tests.media_helpers import picture_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def gory(ben):
    """A post of ben's with a picture, a text and a content warning."""
    post = PostFactory(author=ben, title="Field surgery", body="Study of a wound.")
    post.content_warning = "blood and wounds"
    post.save(update_fields=["content_warning"])
    post.picture = picture_for(post)
    return post


def _show_sensitive(user):
    UserPreference.objects.update_or_create(user=user, defaults={"show_sensitive_content": True})


def _fold(page: str) -> str:
    """The <details> fold of a page, or "" when there is none."""
    found = re.search(r'<details class="cw-fold".*?</details>', page, re.S)
    return found.group(0) if found else ""


def test_the_post_page_folds_a_post_with_a_warning(client, ana, gory):
    client.force_login(ana)

    page = client.get(f"/posts/{gory.id}/").content.decode()

    fold = _fold(page)
    summary = fold[: fold.index("</summary>")]
    assert 'Content warning: <span class="cw-text">blood and wounds</span>' in summary
    # The summary holds the thumbnail blurred, not a link; the picture and its link, and
    # the text, are inside the fold, after the summary.
    assert f'class="cw-blurred" src="/media/{gory.picture.thumbnail}"' in summary
    assert "<a " not in summary
    content = fold[fold.index("</summary>") :]
    assert f'<a href="/media/{gory.picture.file}">' in content
    assert "Study of a wound." in content
    assert page.count("Study of a wound.") == 1


def test_a_visitor_gets_the_fold_too(client, gory):
    page = client.get(f"/posts/{gory.id}/").content.decode()

    assert "blood and wounds" in _fold(page)
    assert "Study of a wound." in _fold(page)


def test_with_the_preference_on_the_warning_is_a_label_and_nothing_is_folded(client, ana, gory):
    _show_sensitive(ana)
    client.force_login(ana)

    page = client.get(f"/posts/{gory.id}/").content.decode()

    assert _fold(page) == ""
    assert "cw-blurred" not in page
    assert re.search(r'class="cw-label cw-label-only">.*blood and wounds', page)
    assert f'<a href="/media/{gory.picture.file}">' in page


def test_a_post_without_a_warning_has_no_fold_and_no_label(client, ana, ben):
    post = PostFactory(author=ben, body="Calm sea.")
    picture_for(post)
    client.force_login(ana)

    page = client.get(f"/posts/{post.id}/").content.decode()

    assert "cw-fold" not in page and "cw-label" not in page and "cw-blurred" not in page


def test_the_profile_grid_blurs_the_cover_and_names_the_warning(client, ana, ben, gory):
    client.force_login(ana)

    tile = _tile(client.get(f"/users/{ben.id}/").content.decode(), gory)

    assert f'src="/media/{gory.picture.thumbnail}"' in tile
    assert 'class="cw-blurred"' in tile
    assert "blood and wounds" in tile
    _show_sensitive(ana)
    tile = _tile(client.get(f"/users/{ben.id}/").content.decode(), gory)
    assert "cw-blurred" not in tile
    assert "blood and wounds" in tile  # still named


def test_the_collective_grid_blurs_the_cover_too(client, ana, ben):
    collective = CollectiveFactory(name="Studio")
    channel = ChannelFactory(collective=collective)
    MemberFactory(collective=collective, user=ana)
    MemberFactory(collective=collective, user=ben)
    post = PostFactory(author=ben, channel=channel, content_warning="needles")
    picture_for(post)
    client.force_login(ana)

    tile = _tile(client.get(f"/collectives/{collective.id}/").content.decode(), post)

    assert 'class="cw-blurred"' in tile and "needles" in tile


def _tile(page: str, post) -> str:
    found = re.search(rf'<a class="post-tile"[^>]*id="tile-{post.id}".*?</a>', page, re.S)
    assert found, f"no tile for post {post.id}"
    return found.group(0)


@pytest.mark.parametrize("preference, flag", [(False, "false"), (True, "true")])
def test_the_feed_page_tells_its_script_the_preference(client, ana, preference, flag):
    if preference:
        _show_sensitive(ana)
    client.force_login(ana)

    page = client.get("/").content.decode()

    assert f'data-show-sensitive="{flag}"' in page


def test_a_visitor_feed_page_always_folds(client):
    assert 'data-show-sensitive="false"' in client.get("/").content.decode()


def test_the_settings_page_turns_the_preference_on_and_off(client, ana):
    client.force_login(ana)
    assert 'name="show_sensitive_content" value="true" id="show-sensitive" aria' in (
        client.get("/settings/").content.decode()
    )

    response = client.post("/settings/", {"show_sensitive_content": "true"})

    assert response.status_code == 302
    assert UserPreference.objects.get(user=ana).show_sensitive_content is True
    page = client.get("/settings/").content.decode()
    assert 'id="show-sensitive" checked' in page
    client.post("/settings/", {})  # unticked
    assert UserPreference.objects.get(user=ana).show_sensitive_content is False


def test_a_forged_preference_value_is_a_400(client, ana):
    client.force_login(ana)

    response = client.post("/settings/", {"show_sensitive_content": "sometimes"})

    assert response.status_code == 400
    assert "Must be true or false." in response.content.decode()
    assert not UserPreference.objects.filter(show_sensitive_content=True).exists()


def test_the_composer_has_an_optional_warning_field_with_a_hint(client, ana):
    client.force_login(ana)

    page = client.get("/new/").content.decode()

    field = re.search(r'<input id="id_content_warning"[^>]*>', page).group(0)
    assert 'name="content_warning"' in field and 'maxlength="200"' in field
    assert "required" not in field
    assert 'aria-describedby="content-warning-hint"' in field
    assert 'id="content-warning-hint"' in page


# --- The author's "Edit content warning" ----------------------------------------------------


def _stored(post) -> tuple[str | None, bool]:
    return Post.objects.values_list("content_warning", "content_warning_by_staff").get(pk=post.pk)


def test_only_the_author_gets_the_edit_form(client, ana, ben, gory):
    client.force_login(ben)
    page = client.get(f"/posts/{gory.id}/").content.decode()
    assert "Edit content warning" in page
    assert 'name="content_warning"' in page and 'value="blood and wounds"' in page

    client.force_login(ana)
    assert "Edit content warning" not in client.get(f"/posts/{gory.id}/").content.decode()


def test_the_author_changes_and_removes_the_warning_from_the_page(client, ben, gory):
    client.force_login(ben)
    url = f"/posts/{gory.id}/"

    response = client.post(url, {"action": "content_warning", "content_warning": " surgery "})

    assert response.status_code == 302 and response["Location"] == f"{url}#post-{gory.id}"
    assert _stored(gory) == ("surgery", False)
    client.post(url, {"action": "content_warning", "content_warning": ""})
    assert _stored(gory) == (None, False)
    assert "cw-fold" not in client.get(url).content.decode()


def test_the_author_adds_a_warning_to_a_post_without_one(client, ben):
    post = PostFactory(author=ben)
    client.force_login(ben)

    client.post(f"/posts/{post.id}/", {"action": "content_warning", "content_warning": "spiders"})

    assert _stored(post) == ("spiders", False)


def test_a_too_long_warning_gets_the_api_message_and_keeps_the_draft(client, ben, gory):
    client.force_login(ben)
    draft = "w" * 201

    response = client.post(
        f"/posts/{gory.id}/", {"action": "content_warning", "content_warning": draft}
    )

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Ensure this field has no more than 200 characters." in page
    assert f'value="{draft}"' in page
    assert '<details class="cw-edit" id="content-warning-edit" open>' in page
    assert _stored(gory) == ("blood and wounds", False)


def test_someone_elses_post_is_a_403_page(client, ana, gory):
    client.force_login(ana)

    response = client.post(
        f"/posts/{gory.id}/", {"action": "content_warning", "content_warning": ""}
    )

    assert response.status_code == 403
    assert _stored(gory) == ("blood and wounds", False)


def test_a_visitor_is_sent_to_log_in(client, gory):
    response = client.post(
        f"/posts/{gory.id}/", {"action": "content_warning", "content_warning": ""}
    )

    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _stored(gory) == ("blood and wounds", False)


def test_a_warning_staff_set_shows_why_and_refuses_the_authors_edit(client, ben, gory):
    staff = UserFactory(username="mod", is_staff=True)
    moderation_act(
        actor=staff,
        target_type="post",
        target_id=gory.id,
        action="mark_sensitive",
        reason="Rule 4",
        content_warning="graphic injury",
    )
    client.force_login(ben)
    url = f"/posts/{gory.id}/"

    page = client.get(url).content.decode()
    assert 'id="cw-by-staff"' in page and 'action" value="content_warning"' not in page

    response = client.post(url, {"action": "content_warning", "content_warning": ""})

    assert response.status_code == 403
    assert "Staff marked this post sensitive" in response.content.decode()
    assert _stored(gory) == ("graphic injury", True)


def test_the_search_grid_follows_the_preference_too(client, ana, ben, gory):
    client.force_login(ana)

    tile = _tile(client.get("/search/", {"q": "surgery"}).content.decode(), gory)

    assert 'class="cw-blurred"' in tile
    _show_sensitive(ana)
    tile = _tile(client.get("/search/", {"q": "surgery"}).content.decode(), gory)
    assert "cw-blurred" not in tile
    assert "blood and wounds" in tile  # still named
