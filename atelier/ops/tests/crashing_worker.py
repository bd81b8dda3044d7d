"""`atelier worker` with one test hook, for test_worker.py only (no production code has it).

Run as `python -m atelier.ops.tests.crashing_worker worker ...`: the same management
command as `atelier worker`, with a Celery `task_success` receiver connected first. After
a `write_exposures` task has committed its write and returned, the receiver kills the
pool process running it (SIGKILL), once, if the file named by CRASH_FILE_ENV exists (it
is removed first). That is the moment where a retried task could write twice: the task
is not acknowledged yet (acks late), so the worker runs it again.
"""

import os
import signal

from celery.signals import task_success

CRASH_FILE_ENV = "ATELIER_TEST_CRASH_AFTER_WRITE_FILE"
TASK = "atelier.analytics.tasks.write_exposures"


def _crash_after_write(sender=None, **kwargs) -> None:
    path = os.environ.get(CRASH_FILE_ENV, "")
    if getattr(sender, "name", None) == TASK and path and os.path.exists(path):
        os.unlink(path)
        os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    # Connected before the pool forks, so every pool process has it.
    task_success.connect(_crash_after_write, weak=False)
    from config.manage import main as manage

    manage()


if __name__ == "__main__":
    main()
