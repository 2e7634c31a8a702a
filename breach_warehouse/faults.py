"""Pause points for the refresh kill tests, driven by environment variables.

``BW_PAUSE_AT=<point>`` makes a refresh stop at that point: it writes its pid to the file
named by ``BW_PAUSE_FILE`` (so a test knows the point was reached) and then sleeps until it
is killed. Points: ``after_build_file`` (the empty build file exists, dbt has not started),
``mid_build`` (dbt has finished its first model and is still running), ``before_publish``
(the build passed every test and is checkpointed; the rename has not happened). Unset, a
pause point does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_POINTS = ("after_build_file", "mid_build", "before_publish")


def pause_point(name: str) -> None:
    if os.environ.get("BW_PAUSE_AT") != name:
        return
    marker = os.environ.get("BW_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    while True:  # until killed
        time.sleep(3600)
