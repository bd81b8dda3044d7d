"""The viewer-feature tables: kept with every appreciation and comment, rebuilt in bulk.

`AuthorAffinity` (what a viewer gave an author) and `TypeAffinity` (what they gave each kind
of post) move in the same transaction as the row that changes them, like the post counters;
`rebuild` recomputes both from the appreciation and comment rows (after an import, or to
repair them: `atelier rebuild_affinity`).
"""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Coalesce, Greatest

from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.post.models import Appreciation, Comment

_KIND_COLUMN = {"heart": "hearts", "praise": "praise", "trophy": "trophies"}


def _upsert(model, match: dict, changes: dict, create: dict) -> None:
    """UPDATE the row; if there is none, INSERT it (a race for the insert ends in UPDATE)."""
    if model.objects.filter(**match).update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**match, **create)
    except IntegrityError:
        model.objects.filter(**match).update(**changes)


def appreciation_given(
    *, viewer_id: int, author_id: int, post_type: str, kind: str, at: datetime
) -> None:
    column = _KIND_COLUMN[kind]
    _upsert(
        AuthorAffinity,
        {"viewer_id": viewer_id, "author_id": author_id},
        {
            column: F(column) + 1,
            "total": F("total") + 1,
            # Coalesce: SQLite's max() of NULL is NULL (a pair that had only comments).
            "last_at": Greatest(Coalesce("last_at", Value(at)), Value(at)),
        },
        {column: 1, "total": 1, "last_at": at},
    )
    _upsert(
        TypeAffinity,
        {"viewer_id": viewer_id, "post_type": post_type},
        {"total": F("total") + 1},
        {"total": 1},
    )


def appreciation_taken_back(*, viewer_id: int, author_id: int, post_type: str, kind: str) -> None:
    """Undo appreciation_given for a row already deleted; `last_at` falls back to the
    viewer's latest remaining appreciation of the author."""
    column = _KIND_COLUMN[kind]
    latest = (
        Appreciation.objects.filter(user_id=viewer_id, post_author_id=author_id)
        .order_by()
        .aggregate(at=Max("created_at"))["at"]
    )
    pair = AuthorAffinity.objects.filter(viewer_id=viewer_id, author_id=author_id)
    pair.filter(**{f"{column}__gt": 0}).update(
        **{column: F(column) - 1, "total": F("total") - 1, "last_at": latest}
    )
    pair.filter(total=0, comments=0).delete()
    types = TypeAffinity.objects.filter(viewer_id=viewer_id, post_type=post_type)
    types.filter(total__gt=0).update(total=F("total") - 1)
    types.filter(total=0).delete()


def comment_written(*, viewer_id: int, author_id: int) -> None:
    _upsert(
        AuthorAffinity,
        {"viewer_id": viewer_id, "author_id": author_id},
        {"comments": F("comments") + 1},
        {"comments": 1},
    )


def comment_deleted(*, viewer_id: int, author_id: int) -> None:
    pair = AuthorAffinity.objects.filter(viewer_id=viewer_id, author_id=author_id)
    pair.filter(comments__gt=0).update(comments=F("comments") - 1)
    pair.filter(total=0, comments=0).delete()


def rebuild(user_ids: list[int] | None = None) -> tuple[int, int]:
    """Recompute both tables from the rows (for `user_ids`, or everyone); return row counts.

    Two INSERT ... SELECT statements with GROUP BY in the database: an import of millions
    of appreciations pays seconds for it, not a round trip per pair.
    """
    q = connection.ops.quote_name
    appr, comment = Appreciation._meta.db_table, Comment._meta.db_table
    post = Comment._meta.get_field("post").related_model._meta.db_table
    author_t, type_t = AuthorAffinity._meta.db_table, TypeAffinity._meta.db_table
    where_a = where_c = ""
    params: list = []
    with transaction.atomic():
        authors = AuthorAffinity.objects.all()
        types = TypeAffinity.objects.all()
        if user_ids is not None:
            ids = sorted({int(u) for u in user_ids})
            if not ids:
                return 0, 0
            marks = ", ".join(["%s"] * len(ids))
            where_a = f"WHERE a.user_id IN ({marks})"
            where_c = f"AND c.author_id IN ({marks})"
            params = ids
            authors = authors.filter(viewer_id__in=ids)
            types = types.filter(viewer_id__in=ids)
        authors.delete()
        types.delete()
        appreciated = f"""
            SELECT a.user_id AS v, a.post_author_id AS a,
                   SUM(CASE WHEN a.kind = 'heart' THEN 1 ELSE 0 END) AS hearts,
                   SUM(CASE WHEN a.kind = 'praise' THEN 1 ELSE 0 END) AS praise,
                   SUM(CASE WHEN a.kind = 'trophy' THEN 1 ELSE 0 END) AS trophies,
                   COUNT(*) AS total, MAX(a.created_at) AS last_at
            FROM {q(appr)} a {where_a}
            GROUP BY a.user_id, a.post_author_id"""
        commented = f"""
            SELECT c.author_id AS v, p.author_id AS a, COUNT(*) AS n
            FROM {q(comment)} c JOIN {q(post)} p ON p.id = c.post_id
            WHERE c.is_deleted = %s {where_c}
            GROUP BY c.author_id, p.author_id"""
        columns = "(viewer_id, author_id, hearts, praise, trophies, total, last_at, comments)"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One pass: both kinds of pair, each grouped once, joined in full (a pair may
                # have only one of the two).
                cursor.execute(
                    f"""
                    INSERT INTO {q(author_t)} {columns}
                    SELECT COALESCE(ap.v, cm.v), COALESCE(ap.a, cm.a),
                           COALESCE(ap.hearts, 0), COALESCE(ap.praise, 0),
                           COALESCE(ap.trophies, 0), COALESCE(ap.total, 0), ap.last_at,
                           COALESCE(cm.n, 0)
                    FROM ({appreciated}) ap FULL OUTER JOIN ({commented}) cm
                    ON cm.v = ap.v AND cm.a = ap.a
                    """,
                    [*params, False, *params],
                )
            else:
                # SQLite joins two unindexed subqueries row by row (minutes for the shared
                # dump): insert the appreciation pairs, then add the comment pairs through
                # the pair's unique index.
                cursor.execute(
                    f"INSERT INTO {q(author_t)} {columns} SELECT v, a, hearts, praise, "
                    f"trophies, total, last_at, 0 FROM ({appreciated})",
                    params,
                )
                cursor.execute(
                    f"INSERT INTO {q(author_t)} {columns} SELECT v, a, 0, 0, 0, 0, NULL, n "
                    f"FROM ({commented}) WHERE true ON CONFLICT (viewer_id, author_id) "
                    "DO UPDATE SET comments = excluded.comments",
                    [False, *params],
                )
            cursor.execute(
                f"""
                INSERT INTO {q(type_t)} (viewer_id, post_type, total)
                SELECT a.user_id, a.post_type, COUNT(*) FROM {q(appr)} a {where_a}
                GROUP BY a.user_id, a.post_type
                """,
                params,
            )
        return authors.count(), types.count()
