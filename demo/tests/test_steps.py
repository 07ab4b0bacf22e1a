"""Steps: numbered, named and timed; a failure names its step."""

from __future__ import annotations

import io
from itertools import count

import pytest

from demo.steps import DemoStepFailed, Steps, StepTiming


def test_each_step_prints_its_number_name_and_time() -> None:
    out = io.StringIO()
    ticks = count(0.0, 1.5)
    steps = Steps(2, out=out, clock=lambda: next(ticks))
    with steps.step("Offline plan"):
        steps.say("  76 resources")
    with steps.step("Local warehouse"):
        pass
    assert out.getvalue().splitlines() == [
        "",
        "[1/2] Offline plan",
        "  76 resources",
        "[1/2] done in 1.5 s",
        "",
        "[2/2] Local warehouse",
        "[2/2] done in 1.5 s",
    ]
    assert steps.timings == [StepTiming("Offline plan", 1.5), StepTiming("Local warehouse", 1.5)]


def test_a_failure_names_the_step_and_keeps_the_cause() -> None:
    steps = Steps(9, out=io.StringIO())
    with steps.step("Offline plan"):
        pass
    with pytest.raises(DemoStepFailed) as failure, steps.step("Pipeline run 1"):
        raise ValueError("[--landing-uri] /x/y is not a landing batch")
    assert str(failure.value) == (
        "step 2/9 (Pipeline run 1) failed: ValueError: [--landing-uri] /x/y is not a landing batch"
    )
    assert (failure.value.number, failure.value.step, type(failure.value.cause)) == (
        2,
        "Pipeline run 1",
        ValueError,
    )
    assert [t.name for t in steps.timings] == ["Offline plan"]


def test_bars_are_drawn_on_a_terminal_only() -> None:
    out = io.StringIO()
    bar = Steps(1, out=out).bar(["bronze_ingest", "silver_orders"], "job")
    assert list(bar) == ["bronze_ingest", "silver_orders"]
    assert (bar.disable, out.getvalue()) == (True, "")
