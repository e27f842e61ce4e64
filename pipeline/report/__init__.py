"""The Informe Ejecutivo's count tables and charts, built from the store.

`compute_tables(conn)` returns the tables (pandas, every row with the ids of the actions it
counts); `build_report(engine, out_dir)` writes them as XLSX, CSV, Markdown and one HTML file.
"""

from .build import ReportResult, build_report
from .tables import compute_tables

__all__ = ["compute_tables", "build_report", "ReportResult"]
