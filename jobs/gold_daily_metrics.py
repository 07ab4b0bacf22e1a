"""Glue/EMR entry script of gold_daily_metrics; the logic is in lakehouse_jobs (on --extra-py-files)."""

from lakehouse_jobs.entry import main

if __name__ == "__main__":
    main("gold_daily_metrics")
