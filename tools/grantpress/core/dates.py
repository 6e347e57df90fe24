"""The one date every output states, so that builds are reproducible.

``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention); otherwise
the time of the repository's last commit; otherwise (no git history) today.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def build_time(root: Path) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _last_commit(root)
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    today = dt.date.today()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.timezone.utc)


def _last_commit(root: Path) -> str:
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def format_date(day: dt.date | None, lang: str) -> str:
    """A date as its readers write it: ДД.ММ.ГГГГ in Russian and Kazakh, ISO 8601 in English."""
    if day is None:
        return ""
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")
