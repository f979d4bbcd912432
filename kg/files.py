"""Writing output files so that a failed or killed run never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(out: Path, binary: bool = False, durable: bool = False) -> Iterator[IO]:
    """A temporary file beside ``out`` that replaces ``out`` only when the block succeeds.

    The file gets the mode a plain ``open`` would give (mkstemp makes it 0600);
    ``durable`` also syncs it to disk before the rename, for checkpoints that a
    ``kill -9`` must not lose. Raises ``OSError`` (``IsADirectoryError`` when
    ``out`` is a folder) for the caller to report.
    """
    if out.is_dir():
        raise IsADirectoryError(21, "is a directory", str(out))
    folder = out.parent if str(out.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(
            handle, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": "\n"})
        ) as stream:
            yield stream
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, out)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def to_stdout(write: Callable[[], T]) -> T:
    """Run ``write``, which writes standard output; a reader that stops early (``| head``) ends the
    program quietly with exit 1 instead of a traceback. Other ``OSError``s reach the caller."""
    try:
        result = write()
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
