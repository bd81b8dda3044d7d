"""Profiles: a user with their fellows and live posts counted.

A profile counts posts, so it is read here, above core (which knows no posts).
"""

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from atelier.core.api import is_storable_id
from atelier.core.models import User, UserFellow
from atelier.core.selectors import is_blocked_either_way
from atelier.post.models import Post
from atelier.post.visibility import visible_to


def _count_of(queryset) -> Coalesce:
    """Wrap `queryset` (filtered on an OuterRef) as a correlated COUNT subquery, 0 if none."""
    counted = queryset.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def user_profile_queryset(viewer) -> QuerySet[User]:
    """Users annotated with `fellows_count` (accepted relations) and `posts_count`: the
    member's posts `viewer` may see, by the one visibility rule (a post in a private
    collective the viewer is not in, removed, or held after reports is not counted: a
    count must not tell of a post its reader cannot open)."""
    fellows = UserFellow.objects.filter(
        Q(user_id=OuterRef("pk")) | Q(fellow_user_id=OuterRef("pk")),
        status=UserFellow.Status.ACCEPTED,
    )
    posts = Post.objects.filter(visible_to(viewer), author_id=OuterRef("pk"))
    return User.objects.annotate(fellows_count=_count_of(fellows), posts_count=_count_of(posts))


def is_member_visible_to(viewer, member: User) -> bool:
    """The one rule for seeing a member (their profile, their avatar): not suspended, not
    held after reports unless the viewer is that member, and no block between them and the
    viewer either way. A visitor (None or anonymous) sees every member who is neither
    suspended nor held (docs/moderation.md)."""
    if member.suspended_at is not None:
        return False
    if viewer is None or not viewer.is_authenticated:
        return member.held_at is None
    if viewer.id == member.id:
        return True
    if member.held_at is not None:
        return False
    return not is_blocked_either_way(viewer.id, member.id)


def get_user_profile(*, viewer: User, user_id: int) -> User:
    """Return the user `user_id` with its counts; Http404 if unknown or blocked either way.

    A block hides both people from each other, so the profile answers as if missing; so
    do a suspension and, to everyone but the member, a hold after reports
    (docs/moderation.md).
    """
    if not is_storable_id(user_id):
        raise Http404("No user matches the given query.")
    user = user_profile_queryset(viewer).filter(pk=user_id).first()
    if user is None or not is_member_visible_to(viewer, user):
        raise Http404("No user matches the given query.")
    return user
