"""What a new user meets first (issue 12, point 7): a readable view of a run, samples/ that
holds only inputs, the README's first command, and api.ingest with the command's limits."""

from __future__ import annotations

import re
from pathlib import Path

from badfiles import TEXT_PLAN
from plantrail import api, cli
from plantrail.ingest.pipeline import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from plantrail.ingest.pool import default_jobs

REPO = Path(__file__).resolve().parents[1]
INPUT_SUFFIXES = {".txt", ".docx", ".xlsx", ".pdf", ".doc", ".xls", ".odt", ".ods", ".rtf", ".csv"}


def test_show_prints_a_readable_table(tmp_path, capsys):
    long_action = "Review the second thing " + "with many more words " * 10
    (tmp_path / "plan.txt").write_text(TEXT_PLAN.replace("Review the second thing", long_action), encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["ingest", str(tmp_path / "plan.txt"), "--out", str(out), "--quiet", "--jobs", "0"]) == 0
    capsys.readouterr()
    assert cli.main(["show", str(out), "--limit", "5", "--width", "80"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r"^ref\s+action\s+end\s+lead\s+rag$", lines[0])
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("1.1  Do a thing") and lines[2].split()[-3:] == ["2017-10", "RG", "green"]
    assert len(lines[3]) <= 80 and "\u2026" in lines[3]  # long action cut to fit
    assert lines[-1] == "(2 of 2 actions)"
    assert cli.main(["show", str(out), "--table", "documents", "--columns", "path,status"]) == 0
    assert "plan.txt" in capsys.readouterr().out
    assert cli.main(["show", str(out), "--columns", "nope"]) == 2


def test_samples_holds_only_inputs():
    files = [p for p in (REPO / "samples").iterdir() if p.is_file()]
    assert files and all(p.suffix in INPUT_SUFFIXES for p in files), [p.name for p in files]


def test_readme_first_block_installs_only_what_running_needs():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    assert "pip install -e ." in first and "[dev]" not in first
    assert "plantrail show out/ --limit 5" in first
    for word in ("plantrail schema", "plantrail show", "--csv-raw", "--retry-errors", "reconcile --json",
                 "api import", "reconcile("):
        assert word in text, word


def test_api_ingest_uses_the_worker_pool_with_the_commands_limits(tmp_path, monkeypatch):
    (tmp_path / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    seen = {}
    real = api._pool_map

    def spy(jobs, timeout, max_memory_mb):
        seen.update(jobs=jobs, timeout=timeout, max_memory_mb=max_memory_mb)
        return real(jobs, timeout, max_memory_mb)

    monkeypatch.setattr(api, "_pool_map", spy)
    tables = api.ingest(tmp_path / "plan.txt")
    assert seen == {"jobs": default_jobs(), "timeout": DEFAULT_TIMEOUT, "max_memory_mb": DEFAULT_MAX_MEMORY_MB}
    assert tables["actions"]["ref"].tolist() == ["1.1", "1.2"]
    seen.clear()
    assert api.ingest(tmp_path / "plan.txt", jobs=0)["actions"]["ref"].tolist() == ["1.1", "1.2"]
    assert seen == {}  # jobs=0: in this process
