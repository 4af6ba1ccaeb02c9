"""`plantrail ingest` end to end: exit codes, files written, what the user sees."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from badfiles import TEXT_PLAN, docx_bytes
from plantrail import cli
from plantrail.output import csv_writer

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TABLES = ("documents", "actions", "reports", "figures", "mentions")


def _sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(SAMPLES).parts))


@pytest.mark.skipif(not _sample_files(), reason="samples/ not populated yet")
def test_ingest_samples_end_to_end(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "plantrail.cli", "ingest", str(SAMPLES), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""  # no TTY: no progress line
    for name in TABLES:
        assert (out / f"{name}.csv").exists()
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == len(_sample_files())
    assert sorted(Path(p).name for p in docs["path"]) == sorted(p.name for p in _sample_files())
    assert "error" not in set(docs["status"])
    actions = pd.read_csv(out / "actions.csv", dtype=str, keep_default_na=False)
    assert len(actions) > 0
    assert actions["action_id"].is_unique
    assert set(actions["sha256"]) <= set(docs["sha256"])
    assert f"plantrail ingest: {len(docs)} files read" in proc.stdout
    assert f"actions found: {len(actions)}" in proc.stdout
    assert f"output folder: {out}" in proc.stdout
    by_status = docs["status"].value_counts()
    assert re.search(rf"^  ok +{by_status['ok']}$", proc.stdout, re.M)


def _folder(tmp_path: Path, bad: bool = False) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text(TEXT_PLAN, encoding="utf-8")
    if bad:
        (src / "broken.docx").write_bytes(docx_bytes()[:2500])
        (src / "empty.pdf").write_bytes(b"")
    return src


def test_exit_0_and_summary(tmp_path, capsys):
    src = _folder(tmp_path)
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--format", "csv,parquet"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "plantrail ingest: 1 file read" in out
    assert "actions found: 2" in out
    assert "(16 files: csv, parquet)" in out  # 5 csv, 5 parquet, 5 parquet dataset parts, manifest
    out_dir = tmp_path / "out"
    assert f"store: {out_dir / 'plantrail.sqlite'} (1 document; the outputs hold them all)" in out
    assert sorted(p.name for p in out_dir.iterdir() if not p.name.startswith(".")) == sorted(
        [f"{t}.csv" for t in TABLES] + [f"{t}.parquet" for t in TABLES]
        + ["manifest.json", "plantrail.sqlite", "parquet", "texts"])
    assert sorted(p.relative_to(out_dir).as_posix() for p in (out_dir / "parquet").rglob("*.parquet")) == [
        f"parquet/{t}/part-00000.parquet" for t in sorted(TABLES)]


def test_exit_1_when_a_file_errors_lists_the_errors(tmp_path, capsys):
    src = _folder(tmp_path, bad=True)
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out")])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "errors (2):" in out
    assert f"  {src / 'empty.pdf'}: empty file (0 bytes)" in out
    assert f"  {src / 'broken.docx'}: corrupt or truncated DOCX file (bad zip:" in out
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    assert docs["status"].tolist() == ["error", "error", "ok"]  # broken.docx, empty.pdf, plan.txt


def test_quiet_prints_only_errors(tmp_path, capsys):
    src = _folder(tmp_path, bad=True)
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.splitlines() == [f"{src / 'broken.docx'}: " + err.splitlines()[0].split(": ", 1)[1],
                                f"{src / 'empty.pdf'}: empty file (0 bytes)"]
    capsys.readouterr()
    assert cli.main(["ingest", str(src / "plan.txt"), "--out", str(tmp_path / "o2"), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_progress_line_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    src = _folder(tmp_path)
    (src / "second.txt").write_text(TEXT_PLAN.replace("1.1", "2.1"), encoding="utf-8")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out")]) == 0
    lines = re.findall(r"\r\[(\d)/2\] [\d.]+ pages/s, 0 errors  (\S+)\x1b\[K", tty.getvalue())
    assert [n for n, _ in lines] == ["1", "2"]  # files done / total, as they finish (any order)
    assert sorted(name for _, name in lines) == ["plan.txt", "second.txt"]
    assert tty.getvalue().endswith("\r\x1b[K")  # line cleared before the summary
    tty2 = Tty()
    monkeypatch.setattr(sys, "stderr", tty2)
    cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--quiet"])
    assert tty2.getvalue() == ""


def test_exit_2_for_usage_errors(tmp_path, capsys):
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / ".hidden").write_text("x")
    assert cli.main(["ingest", str(empty), "--out", str(tmp_path / "out")]) == 2
    assert "no input files found" in capsys.readouterr().err
    assert cli.main(["ingest", str(tmp_path / "typo"), "--out", str(tmp_path / "out")]) == 2
    assert f"no such file or folder: {tmp_path / 'typo'}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    for argv in (["ingest", str(empty), "--out", "x", "--format", "csv,docx"],
                 ["ingest", str(empty)],
                 ["ingest", str(empty), "--out", "x", "--max-size", "0"],
                 ["nosuchcommand"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2
    assert "unknown output format 'docx'" in capsys.readouterr().err
    assert cli.main([]) == 2


def test_exit_3_when_outputs_cannot_be_written(tmp_path, capsys, monkeypatch):
    src = _folder(tmp_path)
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert cli.main(["ingest", str(src), "--out", str(not_a_dir)]) == 3
    assert "is not a folder" in capsys.readouterr().err

    out = tmp_path / "out"
    assert cli.main(["ingest", str(src), "--out", str(out)]) == 0

    def outputs() -> dict[str, bytes]:  # the store is not an output: it records the failed run
        return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(
            ("plantrail.sqlite", "."))}

    before = outputs()
    assert "actions.csv" in before

    def full_disk(path, table, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_writer, "dump", full_disk)
    capsys.readouterr()
    assert cli.main(["ingest", str(src), "--out", str(out)]) == 3
    out_text, err = capsys.readouterr()
    assert "No space left on device" in err and "earlier outputs in the folder are unchanged" in err
    assert outputs() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".plantrail.lock"]  # no temp files


def test_max_size_option(tmp_path, capsys):
    src = _folder(tmp_path)
    code = cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--max-size", "0.0001"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "file too large (0.0 MB; limit 0.0 MB, see --max-size)" in out


def test_output_folder_inside_input_is_not_read_back(tmp_path, capsys):
    src = _folder(tmp_path)
    for _ in range(2):
        assert cli.main(["ingest", str(src), "--out", str(src / "results")]) == 0
    docs = pd.read_csv(src / "results" / "documents.csv", dtype=str, keep_default_na=False)
    assert [Path(p).name for p in docs["path"]] == ["plan.txt"]


def test_help_documents_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["ingest", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for line in ("0  every file was processed", "1  finished and outputs written", "2  usage error",
                 "3  outputs could not be written"):
        assert line in text
    assert "0 = " not in (cli.__doc__ or "") and "3  outputs could not be written" in cli.__doc__


def test_subcommands_register_by_module(monkeypatch, capsys):
    mod = types.ModuleType("plantrail_fake_command")

    def add_parser(subparsers):
        p = subparsers.add_parser("fakecmd", help="fake")
        p.add_argument("--n", type=int, default=1)
        return p

    mod.add_parser = add_parser
    mod.run = lambda args: 40 + args.n
    monkeypatch.setitem(sys.modules, "plantrail_fake_command", mod)
    monkeypatch.setattr(cli, "SUBCOMMANDS", cli.SUBCOMMANDS + ["plantrail_fake_command"])
    assert cli.main(["fakecmd", "--n", "2"]) == 42
    assert cli.main(["fakecmd"]) == 41


def test_summary_shows_internal_errors_first_then_one_per_kind():
    from plantrail.ingest.command import summary
    from plantrail.ingest.pipeline import Batch, FileResult
    from plantrail.normalise.records import DocumentRecord

    docs = [DocumentRecord(path=f"old{i}.xls", status="error",
                           reason="legacy Office binary (.xls) not supported yet") for i in range(6)]
    docs += [DocumentRecord(path="z.docx", status="error", reason="corrupt or truncated DOCX file (bad zip: x)"),
             DocumentRecord(path="y.pdf", status="error", reason="internal error: ValueError: bug"),
             DocumentRecord(path="ok.txt", status="ok", actions=3)]
    text = summary(Batch([FileResult(d) for d in docs]), Path("out"))
    listed = [line.split(":")[0].strip() for line in text.splitlines() if line.startswith("  ") and ":" in line]
    assert listed == ["y.pdf", "old0.xls", "z.docx", "old1.xls", "old2.xls"]
    assert "  ... and 3 more (see documents table, status=error)" in text
    assert "actions found: 3" in text and "errors (8):" in text


def test_api_ingest_matches_what_the_cli_wrote(tmp_path):
    from plantrail.api import ingest, read_output

    src = _folder(tmp_path, bad=True)
    assert cli.main(["ingest", str(src), "--out", str(tmp_path / "out"), "--quiet", "--format", "csv,parquet"]) == 1
    live = ingest(src)
    assert list(live) == list(TABLES)
    assert live["documents"]["status"].tolist() == ["error", "error", "ok"]
    assert len(live["actions"]) == 2 and str(live["actions"]["seq"].dtype) == "Int64"
    for fmt in ("csv", "parquet"):
        saved = read_output(tmp_path / "out", fmt)
        for name in TABLES:
            left, right = live[name], saved[name]
            if name == "documents":  # timings differ between runs
                left, right = left.drop(columns="seconds"), right.drop(columns="seconds")
            pd.testing.assert_frame_equal(left, right, obj=f"{fmt}:{name}")
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        ingest([src, tmp_path / "typo"])


def test_file_results_are_picklable_for_a_process_pool(tmp_path):
    import pickle

    from plantrail.ingest.pipeline import process_batch, process_file

    src = _folder(tmp_path)
    result = process_file(src / "plan.txt")
    assert pickle.loads(pickle.dumps(result)) == result
    seen = []
    batch = process_batch([src / "plan.txt"], mapper=lambda fn, it: [seen.append(p) or fn(p) for p in it])
    assert seen == [src / "plan.txt"] and batch.documents[0].status == "ok"
