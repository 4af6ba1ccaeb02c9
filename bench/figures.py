"""Figures on real committee papers nobody tuned for: how many are not facts.

    python bench/figures.py [--sample N]

Reads every PDF/DOCX/XLSX of the Kent County Council papers in the foreign corpus
(``../shared/corpus/foreign/lusavkaedu__council-assistant``: agendas, minutes, reports,
appendices), extracts figures as ``plantrail ingest`` does and applies the benchmark's
"not a fact" rules (:func:`bench.reports.not_a_fact`: dates, periods, years, list/page/
paragraph/ref numbers, phone numbers).  Prints the counts, every flagged figure, and a
random sample of figures (fixed seed) to audit by eye.  There is no gold here: the
flagged share is a floor on the error, the sample is for a person to judge.
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reports import SHARED, not_a_fact  # noqa: E402

FOLDER = SHARED / "corpus" / "foreign" / "lusavkaedu__council-assistant"


def main(argv: list[str]) -> int:
    from plantrail.normalise import normalise_document
    from plantrail.parsers import parse

    sample_n = int(argv[argv.index("--sample") + 1]) if "--sample" in argv else 25
    files = sorted(p for p in FOLDER.rglob("*") if p.suffix.lower() in (".pdf", ".docx", ".xlsx"))
    figures = []
    failed = []
    for path in files:
        data = path.read_bytes()
        try:
            doc = parse(str(path), data, hashlib.sha256(data).hexdigest(), path.suffix[1:].lower())
            figures += [(path.name, f) for f in normalise_document(doc).figures]
        except Exception as exc:  # a file the parser cannot read is counted, not hidden
            failed.append(f"{path.name}: {type(exc).__name__}: {exc}"[:160])
    flagged = [(name, f, why) for name, f in figures if (why := not_a_fact(f))]
    print(f"files: {len(files)} ({len(failed)} unreadable); figures: {len(figures)}; "
          f"flagged not a fact: {len(flagged)}; precision floor {1 - len(flagged) / max(len(figures), 1):.3f}")
    print("units:", dict(Counter(f.unit for _, f in figures).most_common()))
    print("flagged by reason:", dict(Counter(why for *_, why in flagged)))
    for name, f, why in flagged:
        print(f"  FLAG {why}: {f.value} {f.unit} `{f.raw}` | {f.sentence[:110]} ({name[:40]})")
    rng = random.Random(11)
    for _name, f in rng.sample(figures, min(sample_n, len(figures))):
        print(f"  SAMPLE {f.value} {f.unit} [{f.counts_what[:30]}] `{f.raw}` | {f.sentence[:110]}")
    for line in failed:
        print("  UNREADABLE", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
