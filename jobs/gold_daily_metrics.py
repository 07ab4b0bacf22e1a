"""Glue/EMR entry script of the gold_daily_metrics job (logic in lakehouse_jobs, shipped with --extra-py-files)."""

from lakehouse_jobs.entry import main

if __name__ == "__main__":
    main("gold_daily_metrics")
