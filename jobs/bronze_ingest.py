"""Glue/EMR entry script of the bronze_ingest job (logic in lakehouse_jobs, shipped with --extra-py-files)."""

from lakehouse_jobs.entry import main

if __name__ == "__main__":
    main("bronze_ingest")
