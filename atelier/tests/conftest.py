"""Tests across layers: each exercises apps of several layers together (a write and the
notification or affinity it causes, blocks through every endpoint, the whole schema).

An app's own tests import only its layer and the ones below (docs/architecture.md), so a
test that needs a higher app lives here, in the entry layer. The fixtures it shares with
an app's tests come from that app's conftest.
"""

from atelier.core.tests.conftest import feed_bumps  # noqa: F401
from atelier.media.tests.conftest import stored_files  # noqa: F401
from atelier.post.tests.conftest import bens_post, invisible_post  # noqa: F401
