"""GET, PUT, PATCH /api/user/preferences/: preferred types, muted collectives, blocks, and
the sensitive-content preference."""

import pytest

from atelier.collective.tests.factories import CollectiveFactory, MemberFactory
from atelier.core.models import Block, UserFellow, UserPreference
from atelier.core.tests.factories import BlockFactory, FellowFactory, UserFactory

URL = "/api/user/preferences/"
EMPTY = {
    "preferred_post_types": [],
    "preferred_artist_types": [],
    "muted_collectives": [],
    "blocked_users": [],
}
# What GET answers for a member who never set anything: the lists, and the fold of posts
# with a content warning kept (show_sensitive_content is optional in PUT too).
DEFAULTS = {**EMPTY, "show_sensitive_content": False}


@pytest.fixture
def inkers(db):
    """A public collective nobody here belongs to."""
    return CollectiveFactory(name="Inkers")


@pytest.fixture
def vault(db):
    """A private collective; Ana is not a member."""
    return CollectiveFactory(name="Vault", visibility="private")


def _put(client, **changes):
    return client.put(URL, {**EMPTY, **changes}, format="json")


def test_get_without_preferences_is_all_empty_and_writes_nothing(ana_client):
    response = ana_client.get(URL)

    assert response.status_code == 200
    assert response.json() == DEFAULTS
    assert not UserPreference.objects.exists()


def test_put_replaces_everything(ana_client, ana, ben, cleo, inkers):
    response = _put(
        ana_client,
        preferred_post_types=["poem", "image"],
        preferred_artist_types=["writer"],
        muted_collectives=[inkers.id],
        blocked_users=[cleo.id, ben.id],
    )

    assert response.status_code == 200
    expected = {
        "preferred_post_types": ["poem", "image"],
        "preferred_artist_types": ["writer"],
        "muted_collectives": [inkers.id],
        "blocked_users": sorted([ben.id, cleo.id]),
        "show_sensitive_content": False,
    }
    assert response.json() == expected
    assert ana_client.get(URL).json() == expected
    preference = UserPreference.objects.get(user=ana)
    assert preference.preferred_post_types == ["poem", "image"]
    assert list(preference.muted_collectives.all()) == [inkers]
    assert set(Block.objects.filter(blocker=ana).values_list("blocked_id", flat=True)) == {
        ben.id,
        cleo.id,
    }


def test_put_again_replaces_the_previous_sets(ana_client, ana, ben, cleo, inkers):
    _put(
        ana_client,
        preferred_post_types=["poem"],
        muted_collectives=[inkers.id],
        blocked_users=[ben.id],
    )

    response = _put(ana_client, preferred_artist_types=["musician"], blocked_users=[cleo.id])

    assert response.json() == {
        **DEFAULTS,
        "preferred_artist_types": ["musician"],
        "blocked_users": [cleo.id],
    }
    assert list(Block.objects.values_list("blocker_id", "blocked_id")) == [(ana.id, cleo.id)]
    assert not UserPreference.objects.get(user=ana).muted_collectives.exists()


@pytest.mark.parametrize("missing", list(EMPTY))
def test_put_needs_every_field(ana_client, missing):
    body = {key: value for key, value in EMPTY.items() if key != missing}

    response = ana_client.put(URL, body, format="json")

    assert response.status_code == 400
    assert missing in response.json()


def test_patch_changes_only_the_given_fields(ana_client, ben, inkers):
    _put(
        ana_client,
        preferred_post_types=["poem"],
        muted_collectives=[inkers.id],
        blocked_users=[ben.id],
    )

    response = ana_client.patch(URL, {"preferred_artist_types": ["filmmaker"]}, format="json")

    assert response.status_code == 200
    assert response.json() == {
        "preferred_post_types": ["poem"],
        "preferred_artist_types": ["filmmaker"],
        "muted_collectives": [inkers.id],
        "blocked_users": [ben.id],
        "show_sensitive_content": False,
    }


def test_patch_can_empty_a_list(ana_client, ana, ben):
    ana_client.patch(URL, {"blocked_users": [ben.id]}, format="json")

    response = ana_client.patch(URL, {"blocked_users": []}, format="json")

    assert response.json()["blocked_users"] == []
    assert not Block.objects.exists()


def test_empty_patch_keeps_everything(ana_client):
    ana_client.patch(URL, {"preferred_post_types": ["music"]}, format="json")

    response = ana_client.patch(URL, {}, format="json")

    assert response.status_code == 200
    assert response.json()["preferred_post_types"] == ["music"]


def test_lists_are_deduplicated_keeping_order(ana_client, ben, inkers):
    response = _put(
        ana_client,
        preferred_post_types=["poem", "image", "poem"],
        preferred_artist_types=["writer", "writer"],
        muted_collectives=[inkers.id, inkers.id],
        blocked_users=[ben.id, ben.id],
    )

    assert response.status_code == 200
    assert response.json() == {
        "preferred_post_types": ["poem", "image"],
        "preferred_artist_types": ["writer"],
        "muted_collectives": [inkers.id],
        "blocked_users": [ben.id],
        "show_sensitive_content": False,
    }
    assert Block.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({"preferred_post_types": ["sculpture"]}, "preferred_post_types"),
        ({"preferred_post_types": "poem"}, "preferred_post_types"),
        ({"preferred_post_types": None}, "preferred_post_types"),
        ({"preferred_post_types": [1]}, "preferred_post_types"),
        ({"preferred_post_types": {"poem": True}}, "preferred_post_types"),
        ({"preferred_artist_types": ["poet"]}, "preferred_artist_types"),
        ({"preferred_artist_types": "writer"}, "preferred_artist_types"),
        ({"muted_collectives": "1"}, "muted_collectives"),
        ({"muted_collectives": ["x"]}, "muted_collectives"),
        ({"muted_collectives": [2**63]}, "muted_collectives"),
        ({"muted_collectives": [0]}, "muted_collectives"),
        ({"muted_collectives": [999_999]}, "muted_collectives"),
        ({"blocked_users": 5}, "blocked_users"),
        ({"blocked_users": [1.5]}, "blocked_users"),
        ({"blocked_users": [10**30]}, "blocked_users"),
        ({"blocked_users": [999_999]}, "blocked_users"),
        ({"preferred_post_types": ["poem"] * 1001}, "preferred_post_types"),
        ({"blocked_users": list(range(1, 1002))}, "blocked_users"),
        ({"show_sensitive_content": None}, "show_sensitive_content"),
        ({"show_sensitive_content": "always"}, "show_sensitive_content"),
        ({"show_sensitive_content": 2}, "show_sensitive_content"),
        ({"show_sensitive_content": [True]}, "show_sensitive_content"),
    ],
)
def test_bad_values_are_400_on_the_field(ana_client, body, field):
    for method in (ana_client.put, ana_client.patch):
        response = method(URL, {**EMPTY, **body}, format="json")

        assert response.status_code == 400
        assert field in response.json()
    assert ana_client.get(URL).json() == DEFAULTS


def test_muting_a_private_collective_I_am_not_in_is_400(ana_client, vault):
    response = ana_client.patch(URL, {"muted_collectives": [vault.id]}, format="json")

    assert response.status_code == 400
    assert "muted_collectives" in response.json()


def test_muting_a_private_collective_I_am_in_works(ana_client, ana, vault):
    MemberFactory(collective=vault, user=ana)

    response = ana_client.patch(URL, {"muted_collectives": [vault.id]}, format="json")

    assert response.status_code == 200
    assert response.json()["muted_collectives"] == [vault.id]


def test_a_private_collective_I_left_drops_out_of_my_mutes(ana_client, ana, vault, inkers):
    membership = MemberFactory(collective=vault, user=ana)
    ana_client.patch(URL, {"muted_collectives": [vault.id, inkers.id]}, format="json")
    membership.delete()

    response = ana_client.get(URL)

    assert response.json()["muted_collectives"] == [inkers.id]
    assert ana_client.put(URL, response.json(), format="json").status_code == 200


def test_blocking_yourself_is_400(ana_client, ana, ben):
    response = ana_client.patch(URL, {"blocked_users": [ben.id, ana.id]}, format="json")

    assert response.status_code == 400
    assert "blocked_users" in response.json()
    assert not Block.objects.exists()


def test_an_error_in_one_field_writes_nothing(ana_client, ana, ben):
    response = ana_client.put(
        URL,
        {**EMPTY, "preferred_post_types": ["poem"], "blocked_users": [ben.id, 999_999]},
        format="json",
    )

    assert response.status_code == 400
    assert not UserPreference.objects.exists()
    assert not Block.objects.exists()


def test_blocks_made_by_others_are_not_mine(ana_client, ana, ben, cleo):
    BlockFactory(blocker=ben, blocked=ana)
    BlockFactory(blocker=cleo, blocked=ben)

    assert ana_client.get(URL).json()["blocked_users"] == []
    _put(ana_client)
    assert Block.objects.count() == 2


def test_blocking_a_fellow_keeps_the_fellow_row(ana_client, ana, ben):
    FellowFactory(user=ben, fellow_user=ana)

    ana_client.patch(URL, {"blocked_users": [ben.id]}, format="json")

    assert UserFellow.objects.filter(status="accepted").count() == 1


def test_type_change_invalidates_only_my_feed(ana_client, ana, ben, feed_bumps):
    with feed_bumps(ana, ben) as bumped:
        ana_client.patch(URL, {"preferred_post_types": ["poem"]}, format="json")

    assert bumped() == {ana.id}


def test_block_changes_invalidate_both_sides(ana_client, ana, ben, cleo, feed_bumps):
    dora = UserFactory(username="dora")
    ana_client.patch(URL, {"blocked_users": [ben.id, dora.id]}, format="json")

    # ben unblocked, cleo blocked, dora unchanged
    with feed_bumps(ana, ben, cleo, dora) as bumped:
        ana_client.patch(URL, {"blocked_users": [dora.id, cleo.id]}, format="json")

    assert bumped() == {ana.id, ben.id, cleo.id}


def test_get_query_count_is_fixed(ana_client, ana, inkers, django_assert_num_queries):
    others = [UserFactory(username=f"blocked{i}") for i in range(4)]
    ana_client.put(
        URL,
        {
            **EMPTY,
            "muted_collectives": [inkers.id, CollectiveFactory().id],
            "blocked_users": [u.id for u in others],
        },
        format="json",
    )

    # token, the preference row, its visible mutes, my blocks
    with django_assert_num_queries(4):
        response = ana_client.get(URL)
    assert len(response.json()["blocked_users"]) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[1, 2]", "{broken", '"text"'])
def test_non_object_or_malformed_body_is_400(ana_client, body):
    response = ana_client.put(URL, body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_preferences_need_authentication(anon_client):
    assert anon_client.get(URL).status_code == 401
    assert anon_client.put(URL, EMPTY, format="json").status_code == 401
    assert anon_client.patch(URL, {}, format="json").status_code == 401


def test_show_sensitive_content_is_off_until_turned_on_and_kept_by_a_put_without_it(
    ana_client, ana
):
    assert ana_client.get(URL).json()["show_sensitive_content"] is False

    on = ana_client.patch(URL, {"show_sensitive_content": True}, format="json")

    assert on.status_code == 200
    assert on.json() == {**DEFAULTS, "show_sensitive_content": True}
    assert UserPreference.objects.get(user=ana).show_sensitive_content is True
    # A PUT of the four lists, from a client that does not know the flag, keeps it.
    assert _put(ana_client, preferred_post_types=["poem"]).json()["show_sensitive_content"]
    off = _put(ana_client, show_sensitive_content=False)
    assert off.json() == DEFAULTS
    assert UserPreference.objects.get(user=ana).show_sensitive_content is False
