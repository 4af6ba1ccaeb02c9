"""``plantrail schema``: the columns of every output table, their types and meanings.

Printed from the same definitions the writers use (record classes + :mod:`plantrail.output.schema`),
so it cannot drift from the files a run writes.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..output.schema import schema_json, schema_text
from ..output.tables import TABLE_ORDER, build_table


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "schema", help="print the output tables' columns, types and meanings",
        description="Print every output table (documents, actions, reports, figures, mentions) with "
                    "its columns, their types (text, integer, real, boolean, date) and what they mean. "
                    "Missing values are NULL in every format (empty fields in CSV).")
    p.add_argument("tables", nargs="*", metavar="TABLE", help=f"only these tables ({', '.join(TABLE_ORDER)})")
    p.add_argument("--json", action="store_true", help="print the schema as JSON")
    return p


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    unknown = [t for t in args.tables if t not in TABLE_ORDER]
    if unknown:
        print(f"plantrail schema: error: unknown table {', '.join(unknown)} (choose from "
              f"{', '.join(TABLE_ORDER)})", file=stderr)
        return 2
    tables = [build_table(name, []) for name in (args.tables or TABLE_ORDER)]
    if args.json:
        print(json.dumps(schema_json(tables), indent=2, ensure_ascii=False), file=stdout)
    else:
        print(schema_text(tables).rstrip("\n"), file=stdout)
    return 0
