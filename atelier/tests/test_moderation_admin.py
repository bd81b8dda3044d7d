"""Writes through the Django admin are in the moderation audit log (issue 18), and the
moderation records are readable there but cannot be changed.

Personas: Root, a superuser who works in the admin; Ben, a member; Ana, a member who
comments. The admin is driven through its own forms (the test client), as staff would.
"""

from datetime import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.forms import CheckboxInput, MultiWidget
from django.utils import timezone

from atelier.collective.models import Collective
from atelier.core.admin import EachWriteLogged
from atelier.core.models import User
from atelier.core.tests.factories import UserFactory
from atelier.feed.models import RankingConfig
from atelier.moderation.models import Appeal, AuditEntry, Decision, Report
from atelier.moderation.receivers import ADMIN_TARGETS
from atelier.moderation.services import appeal_create, moderation_act, report_create
from atelier.post.models import Comment, Post
from atelier.post.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def form_data(response) -> dict:
    """The admin page's form (and its inlines) as the browser would post it, unchanged."""
    assert response.status_code == 200, response.status_code
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict = {}
    for form in forms:
        for bound in form:
            if bound.field.disabled:
                continue
            _put(data, bound.html_name, bound.value(), bound.field.widget)
            if bound.field.show_hidden_initial:  # e.g. date_joined's "initial-" twin
                _put(data, bound.html_initial_name, bound.value(), bound.field.widget)
    return data


def _put(data: dict, name: str, value, widget) -> None:
    if isinstance(widget, MultiWidget):
        parts = value if isinstance(value, list) else widget.decompress(value)
        for i, part in enumerate(parts):
            # As the page shows it: a time without microseconds.
            shown = part.strftime("%H:%M:%S") if isinstance(part, time) else part
            data[f"{name}_{i}"] = "" if shown is None else str(shown)
    elif isinstance(widget, CheckboxInput):
        if value:
            data[name] = "on"
    elif isinstance(value, list | tuple):
        data[name] = [str(v) for v in value]
    else:
        data[name] = "" if value is None else str(value)


def change(admin_client, url: str, **edits) -> None:
    """Open an admin change page, apply `edits` (False unticks a box), and save."""
    data = form_data(admin_client.get(url))
    for name, value in edits.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    response = admin_client.post(url, data)
    errors = response.context["adminform"].form.errors if response.context else None
    assert response.status_code == 302, errors


def entries(**match) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**match).order_by("id"))


def test_suspending_by_hand_in_the_admin_is_audited_with_the_new_state(admin_client, root, ben):
    change(admin_client, f"/admin/core/user/{ben.id}/change/", is_active=False)

    [entry] = entries(target_type="user", target_id=ben.id)
    assert (entry.actor, entry.actor_name, entry.action) == (root, "root", "admin_change")
    assert entry.target_name == "ben"
    assert entry.reason.startswith("Changed Active.")
    assert "active: no" in entry.reason and "staff: no" in entry.reason
    assert not User.objects.get(pk=ben.pk).is_active


def test_making_a_member_staff_is_audited(admin_client, ben):
    change(admin_client, f"/admin/core/user/{ben.id}/change/", is_staff=True)

    [entry] = entries(target_type="user", target_id=ben.id)
    assert "Staff status" in entry.reason
    assert "staff: yes" in entry.reason


def test_a_password_set_in_the_admin_is_audited(admin_client, ben):
    url = f"/admin/core/user/{ben.id}/password/"
    response = admin_client.post(
        url, {"password1": "a new pass 42", "password2": "a new pass 42", "usable_password": "true"}
    )

    assert response.status_code == 302
    [entry] = entries(target_type="user", target_id=ben.id)
    assert entry.action == "admin_change"
    assert "password" in entry.reason.lower()


def test_deleting_a_post_in_the_admin_is_audited(admin_client, root, ben):
    post = PostFactory(author=ben, title="Harbour")

    response = admin_client.post(f"/admin/post/post/{post.id}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    [entry] = entries(target_type="post", target_id=post.id)
    assert (entry.action, entry.actor, entry.target_name) == ("admin_delete", root, str(post))
    assert entry.reason == "Deleted in the admin."


def test_deleting_several_comments_at_once_audits_each(admin_client, ana, ben):
    """The changelist's "delete selected" logs in bulk by default, with no post_save."""
    post = PostFactory(author=ben)
    comments = [CommentFactory(post=post, author=ana) for _ in range(3)]

    response = admin_client.post(
        "/admin/post/comment/",
        {
            "action": "delete_selected",
            "_selected_action": [str(c.id) for c in comments],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Comment.objects.exists()
    audited = entries(target_type="comment", action="admin_delete")
    assert sorted(e.target_id for e in audited) == sorted(c.id for c in comments)


def test_changing_a_collective_with_its_channels_inline_is_audited(admin_client, ben):
    collective = Collective.objects.create(
        name="Harbour painters", created_by=ben, created_at=timezone.now()
    )
    collective.channels.create(name="general")

    change(admin_client, f"/admin/collective/collective/{collective.id}/change/", name="Docks")

    [entry] = entries(target_type="collective", target_id=collective.id)
    assert entry.action == "admin_change"
    assert entry.target_name == "Docks"
    assert "Name" in entry.reason


def test_adding_a_member_in_the_admin_is_audited(admin_client):
    response = admin_client.post(
        "/admin/core/user/add/",
        {
            "username": "newcomer",
            "password1": "a long pass 42",
            "password2": "a long pass 42",
            "usable_password": "true",
            "artist_type": "other",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    [entry] = entries(target_type="user", target_id=user.id)
    assert entry.action == "admin_add"
    assert entry.reason.startswith("Added.")


def test_an_audit_entry_outlives_the_accounts_it_names(admin_client, root, ben):
    ben_id = ben.id
    admin_client.post(f"/admin/core/user/{ben_id}/delete/", {"post": "yes"})
    root.delete()

    [entry] = entries(target_type="user", target_id=ben_id)
    assert (entry.actor_id, entry.actor_name, entry.target_name) == (None, "root", "ben")


def test_admin_writes_outside_moderation_are_not_audited(root):
    config = RankingConfig.objects.create()
    LogEntry.objects.log_actions(
        user_id=root.pk, queryset=[config], action_flag=CHANGE, single_object=True
    )

    assert not AuditEntry.objects.exists()


def test_every_audited_kind_logs_each_admin_write_on_its_own():
    """A model in the map whose admin logged deletions in bulk would escape the audit."""
    for label, target_type in ADMIN_TARGETS.items():
        model = apps.get_model(label)
        model_admin = admin.site.get_model_admin(model)
        assert isinstance(model_admin, EachWriteLogged), label
        assert len(target_type) <= AuditEntry._meta.get_field("target_type").max_length


def test_moderation_records_are_readable_in_the_admin_but_never_writable(admin_client, ana, ben):
    staff = UserFactory(username="mod", is_staff=True)
    post = PostFactory(author=ben)
    report, _ = report_create(
        reporter=ana, target_type="post", target_id=post.id, category="spam", text=""
    )
    decision = moderation_act(
        actor=staff, target_type="post", target_id=post.id, action="remove", reason="Spam."
    )
    appeal = appeal_create(user=ben, decision_id=decision.id, text="It is art.")
    entry = AuditEntry.objects.get()
    records = [(Report, report), (Decision, decision), (Appeal, appeal), (AuditEntry, entry)]

    for model, obj in records:
        base = f"/admin/moderation/{model._meta.model_name}/"
        assert admin_client.get(base).status_code == 200, model
        assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200, model
        assert admin_client.get(f"{base}add/").status_code == 403, model
        assert admin_client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403

    assert AuditEntry.objects.count() == 1
