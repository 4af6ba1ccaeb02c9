"""Tables <-> pandas DataFrames with one fixed dtype per column kind.

``api.ingest`` (in memory) and ``api.read_output`` (from any written format) both end
here, so a user gets the same dtypes whichever way they load a run: text columns are
``string`` with ``<NA>`` for missing (never ""), whole numbers ``Int64`` (nullable: a PDF has
pages, a text file has none), ``Float64``, ``boolean`` and dates ``date32[pyarrow]``
(``df["end_date"].dt.year`` works; Parquet stores them as DATE).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .safety import restore
from .schema import PANDAS_DTYPES, arrow_type
from .tables import TableData


def to_dataframe(table: TableData) -> pd.DataFrame:
    data = {c: [row.get(c) for row in table.rows] for c in table.columns}
    df = pd.DataFrame(data, columns=table.columns, dtype=object)
    return coerce(df, table.types)


def coerce(df: pd.DataFrame, types: dict[str, str], *, restore_text: bool = False) -> pd.DataFrame:
    """Give every column its dtype; ``restore_text`` undoes formula neutralisation
    (CSV written with the guard on)."""
    out = {}
    for col in df.columns:
        kind = types.get(col, "str")
        values = df[col].tolist()
        out[col] = _series(values, kind, restore_text)
    return pd.DataFrame(out, columns=list(df.columns), index=pd.RangeIndex(len(df)))


def _series(values: list[Any], kind: str, restore_text: bool) -> pd.Series:
    if kind == "str":
        texts = [None if _missing(v) or v == "" else _text(v) for v in values]
        if restore_text:
            texts = [restore(t) for t in texts]
        return pd.Series(texts, dtype="string")
    converted = [_scalar(v, kind) for v in values]
    if kind == "date":
        return pd.Series(pd.array(converted, dtype=pd.ArrowDtype(arrow_type("date"))))
    return pd.Series(pd.array(converted, dtype=PANDAS_DTYPES[kind]))


def _text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # a spreadsheet reader turned "12" into 12.0
    return str(v)


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and v != v  # NaN


def _scalar(v: Any, kind: str) -> Any:
    if _missing(v) or v == "":
        return None
    if kind == "bool":
        if isinstance(v, str):
            return v.strip().lower() in ("true", "1", "yes")
        return bool(v)
    if kind == "date":
        return _date(v)
    if kind == "int":
        return int(float(v)) if isinstance(v, str) else int(v)
    return float(v)


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    return dt.date.fromisoformat(str(v)[:10])
