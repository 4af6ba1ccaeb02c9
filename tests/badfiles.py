"""Byte builders for the file kinds councils actually publish, good and broken.

Everything is made in memory, so the bad-input tests need no fixtures on disk and no
dependency beyond the parsers' own (python-docx, openpyxl).
"""

from __future__ import annotations

import io
import struct
import zipfile

TEXT_PLAN = ("Ref:\tAction:\tStart:\tEnd date\tLead officer:\tRAG status:\n"
             "1.1\tDo a thing\tApr-17\tOct-17\tRG\tGreen\n"
             "1.2\tReview the second thing\tMay-17\tDec-17\tAB\tAmber\n")


def minimal_pdf(text: str = "Hello plan") -> bytes:
    """A one-page PDF with a text line, xref offsets computed, readable by pdfplumber."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def saved_bytes(document) -> bytes:
    """What ``document.save(file)`` writes, kept in memory: a python-docx Document or an
    openpyxl Workbook built by a test, as the bytes a parser is given."""
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_bytes(paragraphs: tuple[str, ...] = ("Improvement plan",)) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    return saved_bytes(d)


def xlsx_bytes(rows: tuple[tuple[str, ...], ...] = (("Ref", "Action"), ("1.1", "Do a thing"))) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    return saved_bytes(wb)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def with_member(zip_data: bytes, name: str, data: bytes) -> bytes:
    """The same zip (members re-deflated) plus one more member, deflated: padding a real
    document with highly compressible bytes is how the size and ratio guards are hit."""
    src = zipfile.ZipFile(io.BytesIO(zip_data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        z.writestr(name, data)
    return buf.getvalue()


def declare_huge(zip_data: bytes, member: str, size: int = 3 * 1024 ** 3 // 2) -> bytes:
    """Rewrite the central directory so ``member`` claims ``size`` uncompressed bytes (a zip
    bomb's signature) without the test ever inflating anything."""
    data = bytearray(zip_data)
    name = member.encode()
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46: pos + 46 + name_len]) == name:
            struct.pack_into("<I", data, pos + 24, min(size, 0xFFFFFFFE))
            return bytes(data)
        pos += 4
    raise ValueError(f"{member} not in zip")


def ole_bytes(*streams: str) -> bytes:
    """A Compound File header plus directory entry names (UTF-16LE), which is all that
    content detection looks at."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    data = bytearray(header.ljust(512, b"\x00"))
    for s in ("Root Entry", *streams):
        entry = s.encode("utf-16-le").ljust(64, b"\x00") + struct.pack("<H", 2 * (len(s) + 1))
        data += entry.ljust(128, b"\x00")
    return bytes(data.ljust(1536, b"\x00"))


def encrypted_xlsx_bytes() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE container with the
    encrypted package, not a zip."""
    return ole_bytes("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")


def junk_bytes(n: int = 4096) -> bytes:
    """Deterministic binary noise with NULs (no randomness in tests)."""
    return bytes((i * 131 + 7) % 256 for i in range(n))
