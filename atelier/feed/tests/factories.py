"""Factories of the feed's tests (and of the apps above the feed)."""

from atelier.feed import affinity
from atelier.post.tests import factories as post_factories


class AppreciationFactory(post_factories.AppreciationFactory):
    """An appreciation row that keeps the viewer's affinity tables (the feed's features) as
    the services would; like post's, it leaves the post's counters alone."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = super()._create(model_class, *args, **kwargs)
        affinity.appreciation_given(
            viewer_id=row.user_id,
            author_id=row.post_author_id,
            post_type=row.post_type,
            kind=row.kind,
            at=row.created_at,
        )
        return row
