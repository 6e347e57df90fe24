"""A progress display for long builds: one line per step, with its time.

On a terminal the current step's counter updates in place; in CI logs each
step is one plain line.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total_steps: int, stream=None, quiet: bool = False):
        self.total, self.step, self.stream, self.quiet = total_steps, 0, stream or sys.stderr, quiet
        self.started = self.step_started = time.monotonic()
        self.label = ""
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()

    def start(self, label: str, count: int = 0) -> None:
        self.step += 1
        self.label, self.count, self.done = label, count, 0
        self.step_started = time.monotonic()
        self._show(final=False)

    def advance(self) -> None:
        self.done += 1
        if self.live:
            self._show(final=False)

    def finish(self) -> None:
        self._show(final=True)

    def _show(self, final: bool) -> None:
        if self.quiet or (not final and not self.live):
            return
        counter = f" {self.done}/{self.count}" if self.count else ""
        elapsed = f" — {time.monotonic() - self.step_started:.1f} с" if final else ""
        line = f"[{self.step}/{self.total}] {self.label}{counter}{elapsed}"
        end = "\n" if final else ""
        prefix = "\r\033[K" if self.live else ""
        self.stream.write(prefix + line + end)
        self.stream.flush()
