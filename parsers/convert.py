"""Legacy Word (.doc), OpenDocument (.odt/.ods) and RTF, read through LibreOffice headless.

No maintained pure-Python reader handles these well (a .doc is a binary format as large as
Word itself), while LibreOffice converts them faithfully, tables, merges and fills included.
So when ``soffice`` is installed the file is converted to .docx/.xlsx and read by the
parsers we already trust: .doc/.odt/.rtf -> .docx -> :mod:`.docx`, .ods -> .xlsx ->
:mod:`.xlsx`.  ``Document.format`` stays the detected format and ``meta["converted_via"]``
says the text came through LibreOffice.  Without LibreOffice the file gets a ParseError
naming what to install, so a user of an archive knows what to do about those rows.

Each conversion runs in a fresh temporary folder with its own throwaway LibreOffice user
profile (``-env:UserInstallation``): LibreOffice refuses to start a second instance on a
profile in use, so a shared profile would make parallel workers fail or wait on each other.
The run has a time limit; on timeout the whole process group is killed (``soffice`` is a
wrapper that starts ``oosplash`` and ``soffice.bin``; killing only the wrapper leaves them).
Costs about one second per file on top of the parse, mostly LibreOffice start-up.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .model import Document, ParseError

DEFAULT_TIMEOUT = 120.0  # seconds; PLANTRAIL_CONVERT_TIMEOUT overrides

# detected format -> (file extension LibreOffice is given, target format, what to call it)
_ROUTES = {
    "doc": ("doc", "docx", "legacy Word (.doc)"),
    "odt": ("odt", "docx", "OpenDocument text (.odt)"),
    "rtf": ("rtf", "docx", "RTF document"),
    "ods": ("ods", "xlsx", "OpenDocument spreadsheet (.ods)"),
}

NOT_INSTALLED = "legacy Word/OpenDocument file: install LibreOffice (soffice) to read it"

# Where installers put soffice when it is not on PATH (macOS app bundle, Windows).
_KNOWN_PATHS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """The LibreOffice executable: $PLANTRAIL_SOFFICE, else ``soffice``/``libreoffice`` on
    PATH, else a standard install location; None when there is none."""
    forced = os.environ.get("PLANTRAIL_SOFFICE")
    if forced:
        return shutil.which(forced)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _KNOWN_PATHS:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def timeout_seconds() -> float:
    raw = os.environ.get("PLANTRAIL_CONVERT_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def parse_converted(path: str, data: bytes, sha256: str, fmt: str) -> Document:
    """Parse a .doc/.odt/.rtf/.ods file by converting it with LibreOffice."""
    if fmt not in _ROUTES:
        raise ParseError(f"unsupported format: {fmt}")
    ext, target, what = _ROUTES[fmt]
    if fmt in ("odt", "ods"):
        _check_odf(data, what)
    soffice = find_soffice()
    if soffice is None:
        if fmt == "ods":
            raise ParseError("OpenDocument spreadsheet: install LibreOffice (soffice) to read it")
        raise ParseError(NOT_INSTALLED)
    out = convert(data, ext, target, soffice=soffice, timeout=timeout_seconds(), what=what)
    try:
        if target == "docx":
            from .docx import parse_docx

            doc = parse_docx(path, out, sha256)
        else:
            from .xlsx import parse_xlsx

            doc = parse_xlsx(path, out, sha256)
    except ParseError as e:
        raise ParseError(f"{what} converted by LibreOffice, then: {e}") from None
    doc.format = fmt
    doc.meta["converted_via"] = "libreoffice"
    return doc


def convert(data: bytes, src_ext: str, target: str, *, soffice: str, timeout: float = DEFAULT_TIMEOUT,
            what: str = "") -> bytes:
    """The bytes of ``data`` (a ``.src_ext`` file) converted to ``target`` by LibreOffice.

    Everything happens in a temporary folder that is removed afterwards, the user profile
    and LibreOffice's own temporary files included (HOME and TMPDIR point into it).
    """
    what = what or f".{src_ext} file"
    work = Path(tempfile.mkdtemp(prefix="plantrail-lo-"))
    try:
        src = work / f"input.{src_ext}"
        src.write_bytes(data)
        outdir = work / "out"
        outdir.mkdir()
        tmp = work / "tmp"
        tmp.mkdir()
        cmd = [soffice, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
               "--nologo", f"-env:UserInstallation={(work / 'profile').as_uri()}",
               "--convert-to", target, "--outdir", str(outdir), str(src)]
        env = dict(os.environ, HOME=str(work), TMPDIR=str(tmp), TMP=str(tmp), TEMP=str(tmp))
        stderr = _run(cmd, env, timeout, what)
        result = outdir / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            detail = _last_line(stderr)
            raise ParseError(f"LibreOffice could not convert the {what}" + (f" ({detail})" if detail else "")
                             + " (damaged or password-protected?)")
        return result.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(cmd: list[str], env: dict[str, str], timeout: float, what: str) -> str:
    """Run LibreOffice; its stderr text.  ParseError on timeout or when it cannot start."""
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=posix)
    except OSError as e:
        raise ParseError(f"cannot start LibreOffice ({cmd[0]}): {e.strerror or type(e).__name__}") from None
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, posix)
        raise ParseError(f"LibreOffice took over {timeout:g} s to convert the {what}; gave up") from None
    except BaseException:  # Ctrl-C in the middle: leave no LibreOffice behind
        _kill(proc, posix)
        raise
    return err.decode("utf-8", "replace")


def _kill(proc: subprocess.Popen, posix: bool) -> None:
    try:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, OSError, ValueError):
        pass


def _check_odf(data: bytes, what: str) -> None:
    """Refuse a password-protected OpenDocument file up front: its parts are encrypted,
    which ``META-INF/manifest.xml`` announces with ``encryption-data``; LibreOffice would only
    fail to load it, and "password-protected" is the reason the user needs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            manifest = zf.read("META-INF/manifest.xml")[:2_000_000]
    except KeyError:
        return  # no manifest: LibreOffice decides
    except Exception:  # noqa: BLE001 - zipfile raises many types on damaged input
        raise ParseError(f"corrupt {what} (bad zip)") from None
    if b"encryption-data" in manifest:
        raise ParseError(f"password-protected {what}")


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and "javaldx" not in ln and not ln.startswith("convert ")]
    return " ".join(lines[-1].split())[:150] if lines else ""
