"""Open a dump for reading or writing (a path, gzip or not, or "-"), and show progress."""

import gzip
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

from tqdm import tqdm

GZIP_MAGIC = b"\x1f\x8b"
STDIO = "-"


@dataclass(frozen=True)
class DumpInput:
    lines: Iterable[bytes]
    size: int | None  # bytes on disk, None for stdin
    position: Callable[[], int]  # bytes on disk read so far


@contextmanager
def open_input(path: str) -> Iterator[DumpInput]:
    """Open a dump for reading; gzip is recognised by its first bytes, not its name."""
    if path == STDIO:
        raw, size = sys.stdin.buffer, None
    else:
        raw = open(path, "rb")  # closed in the finally below
        size = os.fstat(raw.fileno()).st_size
    try:
        buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)
        lines = gzip.GzipFile(fileobj=buffered) if buffered.peek(2)[:2] == GZIP_MAGIC else buffered
        position = raw.tell if size is not None else lambda: 0
        yield DumpInput(lines=lines, size=size, position=position)
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


@contextmanager
def open_output(path: str) -> Iterator[TextIO]:
    """Open a dump for writing: gzip if the name ends in .gz; "-" is stdout.

    A file is written under a temporary name and renamed at the end, so a failed export
    never leaves a truncated dump that looks complete.
    """
    if path == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = f"{path}.partial"
    if path.endswith(".gz"):
        stream = gzip.open(partial, "wt", encoding="utf-8", newline="\n", compresslevel=6)
    else:
        stream = open(partial, "w", encoding="utf-8", newline="\n")
    try:
        with stream:
            yield stream
    except BaseException:
        os.unlink(partial)
        raise
    os.replace(partial, path)


def progress_bar(*, total: int | None, unit: str, desc: str) -> tqdm:
    """A tqdm bar on stderr that stays silent unless stderr is a terminal."""
    return tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        desc=desc,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
        dynamic_ncols=True,
    )


def with_progress(
    records: Iterable[tuple[int, object]], dump: DumpInput, *, every: int = 4096
) -> Iterator[tuple[int, object]]:
    """Pass records through while advancing a bar: bytes read of a file, lines of stdin."""
    by_bytes = dump.size is not None
    with progress_bar(total=dump.size, unit="B" if by_bytes else " lines", desc="import") as bar:
        if bar.disable:
            yield from records
            return
        done = 0
        for count, record in enumerate(records, start=1):
            yield record
            if count % every == 0:
                position = dump.position() if by_bytes else count
                bar.update(position - done)
                done = position


def with_count_progress(
    records: Iterable[tuple[int, object]], *, total: int, desc: str, every: int = 4096
) -> Iterator[tuple[int, object]]:
    """Pass records through while advancing a bar by their count, out of `total`."""
    with progress_bar(total=total, unit=" records", desc=desc) as bar:
        if bar.disable:
            yield from records
            return
        for count, record in enumerate(records, start=1):
            yield record
            if count % every == 0:
                bar.update(every)
