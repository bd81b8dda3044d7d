"""The viewer-feature tables: kept with every appreciation and comment, rebuilt in bulk.

`AuthorAffinity` (what a viewer gave an author) and `TypeAffinity` (what they gave each kind
of post) move in the same transaction as the row that changes them, like the post counters;
`rebuild` recomputes both from the appreciation and comment rows (after an import, or to
repair them: `atelier rebuild_affinity`).
"""

from datetime import datetime

from django.db import connection, transaction

from atelier.feed.models import AuthorAffinity, TypeAffinity
from atelier.post.models import Appreciation, Comment

_KIND_COLUMN = {"heart": "hearts", "praise": "praise", "trophy": "trophies"}


def _tables() -> tuple[str, str]:
    q = connection.ops.quote_name
    return q(AuthorAffinity._meta.db_table), q(TypeAffinity._meta.db_table)


def _together(*statements: tuple[str, list]) -> list:
    """Run statements that each end in a one-column RETURNING; return each one's value
    (None when it touched no row).

    On PostgreSQL they go in one round trip, each a data-modifying WITH of its own: they
    write different tables, so none can see or fight another's writes. SQLite has no
    data-modifying WITH: one statement each.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            values = []
            for sql, params in statements:
                cursor.execute(sql, params)
                row = cursor.fetchone()
                values.append(None if row is None else row[0])
            return values
        withs = ", ".join(f"written_{i} AS ({sql})" for i, (sql, _) in enumerate(statements))
        picks = ", ".join(f"(SELECT * FROM written_{i})" for i in range(len(statements)))
        cursor.execute(
            f"WITH {withs} SELECT {picks}", [p for _, params in statements for p in params]
        )
        return list(cursor.fetchone())


def _pair_added(viewer_id: int, author_id: int, adds: dict[str, int], at) -> tuple[str, list]:
    """The upsert that adds `adds` to the viewer's row for the author (created at zero).

    ON CONFLICT ... DO UPDATE settles a race for the first row in the database, without the
    savepoint a caught IntegrityError needs. `at` (or None) moves `last_at` forward only.
    """
    pair, _ = _tables()
    columns = ["hearts", "praise", "trophies", "total", "comments"]
    latest = "GREATEST" if connection.vendor == "postgresql" else "MAX"  # SQLite's 2-arg max
    sets = [f"{c} = {pair}.{c} + excluded.{c}" for c in columns if adds.get(c)]
    if at is not None:
        # Coalesce: a pair that had only comments has no last_at yet.
        sets.append(
            f"last_at = {latest}(COALESCE({pair}.last_at, excluded.last_at), excluded.last_at)"
        )
    sql = (
        f"INSERT INTO {pair} (viewer_id, author_id, {', '.join(columns)}, last_at) "
        f"VALUES (%s, %s, {', '.join(['%s'] * len(columns))}, %s) "
        f"ON CONFLICT (viewer_id, author_id) DO UPDATE SET {', '.join(sets)} RETURNING 1"
    )
    at_value = None if at is None else connection.ops.adapt_datetimefield_value(at)
    return sql, [viewer_id, author_id, *(adds.get(c, 0) for c in columns), at_value]


def _delete_emptied(*, viewer_id: int, author_id: int | None, post_type: str | None) -> None:
    """Delete the viewer's author row and type row this transaction brought to zero (a
    rebuild would not have them); None leaves that table alone."""
    pair, types = _tables()
    statements = []
    if author_id is not None:
        statements.append(
            (
                f"DELETE FROM {pair} WHERE viewer_id = %s AND author_id = %s "
                "AND total = 0 AND comments = 0 RETURNING 1",
                [viewer_id, author_id],
            )
        )
    if post_type is not None:
        statements.append(
            (
                f"DELETE FROM {types} WHERE viewer_id = %s AND post_type = %s AND total = 0 "
                "RETURNING 1",
                [viewer_id, str(post_type)],
            )
        )
    if statements:
        _together(*statements)


def appreciation_given(
    *, viewer_id: int, author_id: int, post_type: str, kind: str, at: datetime
) -> None:
    _, types = _tables()
    _together(
        _pair_added(viewer_id, author_id, {_KIND_COLUMN[kind]: 1, "total": 1}, at),
        (
            f"INSERT INTO {types} (viewer_id, post_type, total) VALUES (%s, %s, 1) "
            f"ON CONFLICT (viewer_id, post_type) DO UPDATE SET total = {types}.total + 1 "
            "RETURNING 1",
            [viewer_id, str(post_type)],
        ),
    )


def appreciation_taken_back(*, viewer_id: int, author_id: int, post_type: str, kind: str) -> None:
    """Undo appreciation_given for a row already deleted; `last_at` falls back to the
    viewer's latest remaining appreciation of the author."""
    column = _KIND_COLUMN[kind]
    pair, types = _tables()
    appreciations = connection.ops.quote_name(Appreciation._meta.db_table)
    # Each UPDATE answers whether it left its row empty; the row stays locked by this
    # transaction until it commits, so deleting it next cannot race another writer.
    pair_emptied, type_emptied = _together(
        (
            f"UPDATE {pair} SET {column} = {column} - 1, total = total - 1, last_at = ("
            f"SELECT MAX(created_at) FROM {appreciations} "
            "WHERE user_id = %s AND post_author_id = %s) "
            f"WHERE viewer_id = %s AND author_id = %s AND {column} > 0 "
            "RETURNING total = 0 AND comments = 0",
            [viewer_id, author_id, viewer_id, author_id],
        ),
        (
            f"UPDATE {types} SET total = total - 1 "
            "WHERE viewer_id = %s AND post_type = %s AND total > 0 RETURNING total = 0",
            [viewer_id, str(post_type)],
        ),
    )
    _delete_emptied(
        viewer_id=viewer_id,
        author_id=author_id if pair_emptied else None,
        post_type=post_type if type_emptied else None,
    )


def comment_written(*, viewer_id: int, author_id: int) -> None:
    _together(_pair_added(viewer_id, author_id, {"comments": 1}, None))


def comment_deleted(*, viewer_id: int, author_id: int) -> None:
    pair, _ = _tables()
    (emptied,) = _together(
        (
            f"UPDATE {pair} SET comments = comments - 1 "
            "WHERE viewer_id = %s AND author_id = %s AND comments > 0 "
            "RETURNING total = 0 AND comments = 0",
            [viewer_id, author_id],
        )
    )
    if emptied:
        _delete_emptied(viewer_id=viewer_id, author_id=author_id, post_type=None)


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
