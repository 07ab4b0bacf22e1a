"""Arguments are checked before anything runs; a failed step is named on screen and in the report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from demo import run
from demo.evolution import NEW_COLUMN, evolved_declaration
from demo.steps import DemoStepFailed, Steps

RAW = {
    "name": "raw_orders",
    "columns": [{"name": "order_id", "type": "string"}, {"name": "total_amount", "type": "decimal(12,2)"},
                {"name": "_ingestion_timestamp", "type": "timestamp"}],
    "sparkColumns": [{"name": "order_id", "type": "string"}, {"name": "total_amount", "type": "decimal(12,2)"},
                     {"name": "_ingestion_timestamp", "type": "timestamp_ntz"}],
    "partitionBy": [{"column": "_ingestion_timestamp", "transform": "day"}],
}  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--as-of", "2026-02-30"], "argument --as-of: [--as-of] must be a date YYYY-MM-DD (UTC); got '2026-02-30'"),
        (["--scale", "0"], "argument --scale: [--scale] must be a number above 0 and at most 400; got '0'"),
        (["--days", "30"], "argument --days: [--days] must be a whole number from 31 to 3650; got '30'"),
        (["staging"], "[stack] there is no Pulumi.staging.yaml; stacks: dev, prod"),
    ],
)  # fmt: skip
def test_bad_arguments_stop_the_demo_before_it_starts(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run.parse_arguments([*argv, "--dir", str(tmp_path / "demo")])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"bash scripts/demo.sh: error: {message}"


def test_a_folder_not_made_by_the_demo_stops_it_before_it_starts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit):
        run.parse_arguments(["--dir", str(tmp_path)])
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .startswith(f"bash scripts/demo.sh: error: [--dir] {tmp_path} is not empty")
    )
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_a_failed_step_is_named_and_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def failing_demo(args: argparse.Namespace, steps: Steps, facts: dict[str, Any]) -> None:
        with steps.step("Offline plan of the dev stack"):
            pass
        with steps.step("Fresh local warehouse with the declared tables"):
            raise FileNotFoundError("build/table-specs.json is missing")

    monkeypatch.setattr(run, "run_demo", failing_demo)
    report = tmp_path / "report.json"
    code = run.main(["--dir", str(tmp_path / "demo"), "--report", str(report), "--as-of", "2026-03-15"])
    assert code == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        "The demo FAILED at step 2/10 (Fresh local warehouse with the declared tables) failed: "
        "FileNotFoundError: build/table-specs.json is missing"
    )
    written = json.loads(report.read_text(encoding="utf-8"))
    assert (written["status"], written["failure"], [s["name"] for s in written["steps"]]) == (
        "failed",
        {
            "step": 2,
            "name": "Fresh local warehouse with the declared tables",
            "error": "build/table-specs.json is missing",
        },
        ["Offline plan of the dev stack"],
    )
    assert issubclass(DemoStepFailed, Exception)


def test_the_evolved_declaration_has_the_new_column_after_total_amount_in_both_type_lists() -> None:
    evolved = evolved_declaration(RAW)
    assert (evolved["partitionBy"], RAW["partitionBy"]) == (
        [{"column": "_ingestion_timestamp", "transform": "month"}],
        [{"column": "_ingestion_timestamp", "transform": "day"}],
    )
    assert [c["name"] for c in evolved["columns"]] == [
        "order_id",
        "total_amount",
        "coupon_code",
        "_ingestion_timestamp",
    ]
    assert (
        evolved["sparkColumns"][2]
        == NEW_COLUMN
        == {
            "name": "coupon_code",
            "type": "string",
            "comment": "promotion code entered at checkout",
        }
    )
    assert [c["name"] for c in RAW["columns"]] == ["order_id", "total_amount", "_ingestion_timestamp"]
    with pytest.raises(ValueError) as error:
        evolved_declaration(evolved)
    assert str(error.value) == "[columns] raw_orders already has coupon_code"
