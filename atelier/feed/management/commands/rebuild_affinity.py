"""atelier rebuild_affinity: recompute the viewer-feature tables from the rows."""

import time

from django.core.management.base import BaseCommand

from atelier.feed import affinity


class Command(BaseCommand):
    help = (
        "Recompute the author and post-type affinity tables (what each member gave each "
        "author and kind of post) from the appreciation and comment rows. The services keep "
        "them in step; run this after editing those rows by hand, e.g. in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", type=int, action="append", dest="users", help="only this member (repeat)"
        )

    def handle(self, *args, users=None, **opts):
        started = time.perf_counter()
        authors, types = affinity.rebuild(users)
        self.stdout.write(
            f"Rebuilt {authors} author and {types} post-type affinity rows "
            f"in {time.perf_counter() - started:.1f} s"
        )
