"""Numbered steps with their names and timings, progress bars for long ones, and a failure that names
its step. tqdm draws the bars (only on a terminal: in a log or a test the step lines say enough)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


class DemoStepFailed(Exception):
    """A step raised: the message names the step (number, total, name) and the cause."""

    def __init__(self, number: int, total: int, name: str, cause: BaseException) -> None:
        self.number, self.total, self.step, self.cause = number, total, name, cause
        super().__init__(f"step {number}/{total} ({name}) failed: {type(cause).__name__}: {cause}")


@dataclass
class StepTiming:
    name: str
    seconds: float


@dataclass
class Steps:
    total: int
    out: TextIO = sys.stdout
    clock: Callable[[], float] = time.monotonic
    timings: list[StepTiming] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        number = len(self.timings) + 1
        print(f"\n[{number}/{self.total}] {name}", file=self.out, flush=True)
        started = self.clock()
        try:
            yield
        except Exception as error:
            raise DemoStepFailed(number, self.total, name, error) from error
        seconds = self.clock() - started
        self.timings.append(StepTiming(name, seconds))
        print(f"[{number}/{self.total}] done in {seconds:.1f} s", file=self.out, flush=True)

    def bar(self, items: Iterable[T], unit: str, count: int | None = None) -> tqdm[T]:
        """A progress bar over `items`, drawn on a terminal only (`disable=None`)."""
        return tqdm(items, total=count, unit=f" {unit}", file=self.out, disable=None, leave=False)

    def say(self, line: str = "") -> None:
        """A line under the current step, printed above any bar in progress."""
        tqdm.write(line, file=self.out)
        self.out.flush()
