"""The CLI's one error boundary and its exit codes.

Every command ends in its result, or in one line on stderr naming what failed (the file,
row and column where they apply) and one of these exit codes; a Python traceback is shown
only with ``--debug`` (or ``BW_DEBUG=1``). The README's "Exit codes" table lists them.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

EXIT_OK = 0
EXIT_FAILED = 1  # the work failed: a dbt model or test, an extract, a source, a query
EXIT_USAGE = 2  # bad arguments, or a statement or option refused (sql writes, file access)
EXIT_REFUSED = 3  # an input refused: not the source's format, unsafe, over a limit
EXIT_EMPTY = 4  # an input with no usable row (ingest --allow-empty accepts it)
EXIT_INTERNAL = 70  # a defect: an error nothing anticipated (rerun with --debug)
EXIT_LOCKED = 75  # busy: another refresh runs, or another process holds the warehouse
EXIT_INTERRUPTED = 130  # Ctrl-C


def one_line(text: str, limit: int = 600) -> str:
    """``text`` on one line (whitespace collapsed), at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and the line for an exception that reached the boundary."""
    from ingest.accounting import IngestAccountingError
    from ingest.core import IngestEmptyError, IngestFormatError
    from ingest.fetch import DownloadError
    from ingest.snapshots import SnapshotError
    from warehouse_api import WarehouseLockedError

    if isinstance(exc, IngestAccountingError):
        return EXIT_INTERNAL, one_line(str(exc))
    if isinstance(exc, DownloadError | SnapshotError):
        return EXIT_FAILED, one_line(str(exc))
    if isinstance(exc, IngestFormatError):
        return EXIT_REFUSED, one_line(f"refused: {str(exc).removesuffix(': refused')}")
    if isinstance(exc, IngestEmptyError):
        return EXIT_EMPTY, one_line(str(exc))
    if isinstance(exc, WarehouseLockedError):
        return EXIT_LOCKED, one_line(str(exc))
    if isinstance(exc, FileNotFoundError):
        return EXIT_FAILED, one_line(str(exc))
    if isinstance(exc, MemoryError):
        return EXIT_FAILED, "out of memory: the input is too large for this machine"
    if isinstance(exc, PermissionError | IsADirectoryError | NotADirectoryError):
        return EXIT_FAILED, one_line(str(exc))
    if isinstance(exc, OSError) and exc.strerror:
        return EXIT_FAILED, one_line(f"{exc.strerror}: {exc.filename or exc}")
    return EXIT_INTERNAL, one_line(
        f"internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback"
    )


def debug_requested(flag: bool) -> bool:
    return flag or os.environ.get("BW_DEBUG", "") not in ("", "0")


def guarded(command: str, run: Callable[[], int], *, debug: bool) -> int:
    """Run a command inside the boundary: its own exit code, or one line and a code."""
    try:
        return int(run())
    except KeyboardInterrupt:
        print(f"breach-warehouse {command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit:
        raise
    except BaseException as exc:  # the boundary: nothing escapes as a traceback
        code, line = classify(exc)
        if debug_requested(debug):
            traceback.print_exc()
        print(f"breach-warehouse {command}: {line}", file=sys.stderr)
        return code
