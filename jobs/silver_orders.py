"""Glue/EMR entry script of silver_orders; the logic is in lakehouse_jobs (on --extra-py-files)."""

from lakehouse_jobs.entry import main

if __name__ == "__main__":
    main("silver_orders")
