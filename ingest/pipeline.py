"""File -> DocumentRecord + records, and a batch of files -> tables.

The rule here is that the batch never dies: whatever one file does (vanishes, is 2 GB,
is a password-protected workbook, makes a parser crash), it becomes one documents row with
status ``error`` and a one-line reason, and every other file is processed as usual.

:func:`process_file` is a pure function of its path (plus options) returning a picklable
:class:`FileResult`: it is what worker processes and Dask tasks run.  :func:`process_batch`
is the in-memory batch (the Python API); :func:`run_batch` is the command's run, through the
store in the output folder (see :mod:`.run`).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..normalise import Normalised, link_batch, normalise_document
from ..normalise.records import DocumentRecord
from ..output import TableData, build_table
from ..output.markdown import render_markdown
from ..parsers import Document, ParseError, parse
from .causes import classify
from .detect import detect, extension_format, mislabel_note
from .hashing import sha256_bytes
from .labels import path_label
from .store_text import DocText

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
DEFAULT_TIMEOUT = 300.0  # seconds per file
DEFAULT_MAX_MEMORY_MB = 2048.0  # per file (address space a worker may add while reading it)
MAX_REASON = 300

Progress = Callable[[int, int, str], None]


@dataclass
class FileResult:
    document: DocumentRecord
    normalised: Normalised | None = None
    already_stored: bool = False  # a run through the store found it done by an earlier run
    text: DocText | None = None  # the full text as Markdown (for texts/ and the search index)


@dataclass
class Batch:
    """Everything a run produced, before (or without) writing files.

    For :func:`run_batch`, ``results`` are this run's input files (records not kept in
    memory: they are in the store) and the tables written hold everything in the store."""

    results: list[FileResult]
    warnings: list[str] = field(default_factory=list)  # batch-level problems (e.g. linking failed)
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth a line, not a problem
    run_id: int | None = None
    store: Path | None = None
    store_documents: int = 0  # documents in the store after the run (all runs)
    seconds: float = 0.0  # reading files (not writing the outputs)
    pages: int = 0  # pages read in this run (a file without pages counts as one)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: reading, linking, writing

    @property
    def already_stored(self) -> int:
        return sum(1 for r in self.results if r.already_stored)

    @property
    def documents(self) -> list[DocumentRecord]:
        return [r.document for r in self.results]

    def tables(self) -> list[TableData]:
        """documents, actions, reports, figures, mentions - always all five, in that order."""
        kinds: dict[str, list] = {"actions": [], "reports": [], "figures": [], "mentions": []}
        for r in self.results:
            if r.normalised is not None:
                for kind, records in r.normalised.tables().items():
                    kinds.setdefault(kind, []).extend(records)
        out = [build_table("documents", self.documents, DocumentRecord)]
        out += [build_table(kind, records) for kind, records in kinds.items()]
        return out


def one_line(text: str, limit: int = MAX_REASON) -> str:
    """First non-empty line, whitespace collapsed, capped: documents.csv stays one row per file."""
    for line in str(text).splitlines():
        if line.strip():
            line = re.sub(r"\s+", " ", line).strip()
            return line if len(line) <= limit else line[: limit - 3] + "..."
    return ""


def process_file(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:
    """Read, detect, parse and normalise one file; never raises for anything the file does."""
    started = time.perf_counter()
    label = path_label(path)  # printable/writable form; the real path is used to read
    name = os.path.basename(label)
    rec = DocumentRecord(path=label, extension_format=extension_format(name))
    result = FileResult(rec)
    try:
        _process(Path(path), name, max_bytes, result)
    except ParseError as exc:
        if caused_by_memory(exc):  # a parser wrapped its MemoryError: the limit, not the file
            raise MemoryError(str(exc)) from exc
        _fail(rec, one_line(str(exc)) or "unreadable file (parser gave no reason)")
        result.normalised, result.text = None, None
    except MemoryError:
        raise  # not the file's verdict but this process's limit: the caller records it
    except Exception as exc:  # the batch must survive any bug a file can trigger
        if caused_by_memory(exc):
            raise MemoryError(str(exc)) from exc
        _fail(rec, one_line(f"internal error: {type(exc).__name__}: {one_line(str(exc))}"))
        result.normalised, result.text = None, None
    if rec.status == "error":
        rec.cause = classify(rec.reason)
    rec.seconds = round(time.perf_counter() - started, 3)
    return result


def caused_by_memory(exc: BaseException) -> bool:
    """True when a MemoryError is anywhere in ``exc``'s cause/context chain: parsers turn
    every failure into a ParseError, but running out of the memory cap is this process's
    limit, to be recorded as such (and retried with a higher cap), not a verdict on the file."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, MemoryError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def _fail(rec: DocumentRecord, reason: str, mislabel: bool = True) -> None:
    rec.status = "error"
    note = mislabel_note(rec.format, os.path.basename(rec.path)) if rec.format and mislabel else ""
    rec.reason = f"{reason} ({note})" if note and note not in reason else reason


def _process(path: Path, name: str, max_bytes: int, result: FileResult) -> None:
    rec = result.document
    data = _read(path, max_bytes, rec)
    if data is None:
        return
    rec.size = len(data)
    rec.sha256 = sha256_bytes(data)
    if name.startswith("~$"):  # read first: its sha256 lets a later run keep the outcome
        rec.status, rec.reason = "skipped", "Office lock file (~$), not a document"
        return
    found = detect(data)
    rec.format = found.fmt
    if not found.ok:
        # Encrypted OOXML *is* an OLE container: "named .xlsx" would be noise there.
        _fail(rec, found.note, mislabel=not found.note.startswith("password-protected"))
        return
    doc = parse(rec.path, data, rec.sha256, found.fmt)
    _describe(rec, doc)
    norm = normalise_document(doc)
    result.normalised = norm
    result.text = document_text(doc, norm)
    rec.actions = len(norm.actions)
    rec.reports = len(norm.reports)
    rec.warnings = len(doc.warnings) + len(norm.warnings)
    note = mislabel_note(found.fmt, name)
    read_as = f"read as {found.fmt} ({note})" if note else ""
    # every document has a paper record; one of no known kind is not a finding.  normalise
    # says when the document looks like a plan whose tables were not read: with action-like
    # tables that is the file's verdict even if a paper record was identified
    identified = any(r.identified() for r in norm.reports)
    if rec.actions or (identified and not norm.missed_tables):
        rec.status, rec.reason = "ok", "; ".join(p for p in (read_as, norm.missed) if p)
    else:
        rec.status = "no_actions"
        rec.reason = "; ".join(p for p in (norm.missed or _nothing_found(doc), read_as) if p)


def document_text(doc: Document, norm: Normalised) -> DocText | None:
    """The document's Markdown and a title to rank searches by (the report's title, else
    the first heading); None when the document has no text at all.  The text is an extra:
    a failure here costs the document its text (with a warning), never its records."""
    try:
        markdown = render_markdown(doc)
    except Exception as exc:  # a rendering bug must not turn a read document into an error
        doc.warnings.append(one_line(f"full text not written: internal error: {type(exc).__name__}: {exc}"))
        return None
    if not markdown.strip():
        return None
    title = next((r.title for r in norm.reports if getattr(r, "title", "")), "")
    if not title:
        title = next((" ".join(b.text.split()) for b in doc.blocks if b.kind == "heading" and b.text.strip()), "")
    return DocText(doc.sha256, title, markdown)


def _read(path: Path, max_bytes: int, rec: DocumentRecord) -> bytes | None:
    """The file's bytes, or None after recording why they cannot be had."""
    try:
        unreadable = not_a_file_reason(path)
        if unreadable:
            rec.status, rec.reason = "skipped", unreadable
            return None
        st = os.stat(path)
        rec.size = st.st_size
        if st.st_size > max_bytes:
            _fail(rec, f"file too large ({_mb(st.st_size)} MB; limit {_mb(max_bytes)} MB, see --max-size)")
            return None
        with open(path, "rb") as fh:
            # read(n) reserves n bytes up front: ask for the size stat gave (a worker's memory
            # cap counts reserved address space), and only then for any growth since stat
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        _fail(rec, f"cannot read file: {exc.strerror or type(exc).__name__}")
        return None
    if len(data) > max_bytes:
        _fail(rec, f"file too large (over the {_mb(max_bytes)} MB limit, see --max-size)")
        return None
    if not data:
        rec.size, rec.format, rec.sha256 = 0, "empty", sha256_bytes(b"")  # stored like any outcome
        _fail(rec, "empty file (0 bytes)")
        return None
    return data


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def not_a_file_reason(path: Path) -> str:
    """Why ``path`` is not a file that can be read, or "" when it is one."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if os.path.islink(path):
            if exc.errno == errno.ELOOP:
                return "symbolic link loop, not read"
            return "broken symbolic link (its target does not exist), not read"
        raise
    if stat.S_ISDIR(st.st_mode):
        try:
            os.scandir(path).close()
        except OSError as exc:
            return f"folder cannot be listed ({exc.strerror or type(exc).__name__}), its files not read"
        return "a folder, not a file"
    for test, what in _KINDS:
        if test(st.st_mode):
            return f"not a regular file ({what}), not read"
    return "" if stat.S_ISREG(st.st_mode) else "not a regular file, not read"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}" if n >= 10 * 1024 * 1024 else f"{n / (1024 * 1024):.1f}"


def _describe(rec: DocumentRecord, doc: Document) -> None:
    rec.pages = doc.pages
    rec.sheets = "; ".join(s.name + (" (hidden)" if s.hidden else "") for s in doc.sheets)
    rec.tables = len(doc.tables())


def _nothing_found(doc: Document) -> str:
    """What the document was, so a user can tell "wrong file" from "we missed the table"."""
    if not doc.blocks:
        if doc.format == "pdf":
            return "no text found (scanned or image-only PDF? no OCR)"
        return "no text content found"
    kinds: dict[str, int] = {}
    for b in doc.blocks:
        kinds[b.kind] = kinds.get(b.kind, 0) + 1
    parts = []
    if doc.pages:
        parts.append(_count(doc.pages, "page"))
    if doc.sheets:
        parts.append(_count(len(doc.sheets), "sheet"))
    parts.append(_count(len(doc.tables()), "table"))
    parts.append(_count(kinds.get("paragraph", 0) + kinds.get("list_item", 0), "paragraph"))
    return f"no action table found ({', '.join(parts)})"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _announce(paths: list[Path], progress: Progress | None) -> Iterator[Path]:
    """Report each file as the mapper takes it (sequentially: just before it is processed)."""
    for i, p in enumerate(paths, start=1):
        if progress is not None:
            progress(i, len(paths), os.fspath(p))
        yield p


def process_batch(paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES,
                  progress: Progress | None = None, mapper: Callable = map) -> Batch:
    """Process every file, then do the cross-document work; writes nothing."""
    todo = [Path(p) for p in paths]
    work = partial(_process_in_memory, max_bytes=max_bytes)
    batch = Batch(results=list(mapper(work, _announce(todo, progress))))
    _mark_duplicates(batch.results)
    batch.warnings += link([r.normalised for r in batch.results if r.normalised is not None])
    return batch


def link(normalised: list[Normalised]) -> list[str]:
    """Cross-document work (report mentions -> plan actions), in place; the warnings.

    Linking is an extra: when it fails, the per-file records still stand and the run goes on.
    """
    try:
        link_batch(normalised)
    except Exception as exc:
        return [one_line(f"linking report mentions failed: internal error: "
                         f"{type(exc).__name__}: {one_line(str(exc))}")]
    return []


def _process_in_memory(path: Path, max_bytes: int) -> FileResult:
    try:
        return process_file(path, max_bytes)
    except MemoryError:
        return FileResult(DocumentRecord(path=path_label(path), extension_format=extension_format(path.name),
                                         status="error", reason="out of memory", cause="limit"))


def _mark_duplicates(results: list[FileResult]) -> None:
    """Byte-identical copies (same sha256) would repeat every action with the same action_id:
    the first copy is read, later ones are recorded as skipped."""
    first: dict[str, str] = {}
    for r in results:
        rec = r.document
        if not rec.sha256 or rec.status == "error":
            continue
        if rec.sha256 in first:
            rec.status = "skipped"
            rec.reason = f"same content as {first[rec.sha256]}"
            rec.actions = rec.reports = 0
            r.normalised, r.text = None, None
        else:
            first[rec.sha256] = rec.path


def run_batch(paths: Iterable[str | os.PathLike[str]], out_dir: str | os.PathLike[str],
              formats: str | Iterable[str] = ("csv",), progress: Callable | None = None, **options) -> Batch:
    """Process ``paths`` through the store in ``out_dir`` and write every table in every
    format there; see :func:`plantrail.ingest.run.run_batch` for the options."""
    from .run import run_batch as _run_batch

    return _run_batch(paths, out_dir, formats, progress, **options)
