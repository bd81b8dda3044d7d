"""What moderation hears from elsewhere: every write made through the Django admin to a
moderation-relevant object goes into the audit log (docs/moderation.md, "The admin")."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.contrib.contenttypes.models import ContentType

from atelier.moderation.models import AuditEntry, AuditOnlyAction

# The objects whose admin writes are audited, by "app_label.model", with the target type
# their entries carry. Their ModelAdmins log each write on its own (core.admin's
# EachWriteLogged); atelier/tests/test_moderation_admin.py holds both to it.
ADMIN_TARGETS = {
    "core.user": "user",
    "core.block": "block",
    "post.post": "post",
    "post.comment": "comment",
    "post.critique": "critique",
    "collective.collective": "collective",
    "collective.collectivemember": "membership",
    "collective.channel": "channel",
    "media.media": "media",
    "gallery.gallery": "gallery",
    "moderation.report": "report",
    "moderation.decision": "decision",
    "moderation.appeal": "appeal",
}
ADMIN_ACTIONS = {
    ADDITION: AuditOnlyAction.ADMIN_ADD,
    CHANGE: AuditOnlyAction.ADMIN_CHANGE,
    DELETION: AuditOnlyAction.ADMIN_DELETE,
}
_DEFAULT_REASONS = {ADDITION: "Added in the admin.", DELETION: "Deleted in the admin."}


def _user_state(user) -> str:
    """A member's moderation-relevant flags after an admin change (the admin's message
    names the fields changed, not their values)."""
    flags = {
        "active": user.is_active,
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "suspended": user.suspended_at is not None,
        "limited": user.limited_at is not None,
    }
    return "Now " + ", ".join(f"{name}: {'yes' if on else 'no'}" for name, on in flags.items())


def audit_admin_write(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of django.contrib.admin's LogEntry: copy an admin write into the audit log,
    in the admin's transaction (a failure rolls the write back)."""
    if not created or raw or instance.content_type_id is None:
        return
    content_type = ContentType.objects.get_for_id(instance.content_type_id)
    target_type = ADMIN_TARGETS.get(f"{content_type.app_label}.{content_type.model}")
    action = ADMIN_ACTIONS.get(instance.action_flag)
    if target_type is None or action is None:
        return
    try:
        target_id = int(instance.object_id)
    except (TypeError, ValueError):
        return
    reason = instance.get_change_message() or _DEFAULT_REASONS.get(instance.action_flag, "")
    if target_type == "user" and instance.action_flag != DELETION:
        edited = content_type.get_object_for_this_type(pk=target_id)
        reason = f"{reason} {_user_state(edited)}." if reason else f"{_user_state(edited)}."
    actor = instance.user
    AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.username,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=instance.object_repr[:200],
        reason=reason,
    )
