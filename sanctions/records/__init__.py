"""Customer records: files of the user's own parties (CSV, XLSX, Parquet, JSON lines, FtM)."""

from sanctions.records.customer import Customer, RowProblem, make_customer
from sanctions.records.fields import parse_mapping
from sanctions.records.files import (
    FORMATS,
    ReadResult,
    check_columns,
    customer_from_row,
    detect_format,
    read_customers,
    read_rows,
)

__all__ = [
    "FORMATS",
    "Customer",
    "ReadResult",
    "RowProblem",
    "check_columns",
    "customer_from_row",
    "detect_format",
    "make_customer",
    "parse_mapping",
    "read_customers",
    "read_rows",
]
