"""Write the hostile and broken files pmm must refuse with one line (the hostile-inputs tests).

Nothing here is committed as a binary: every file is built from a few lines of bytes at test
time. Each maker takes a folder and returns the path it wrote.

    python tools/make_hostile_inputs.py OUT_DIR [--big]

writes them all (with --big, the bombs at the sizes the memory figures are measured on).
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
import zlib
from pathlib import Path

MiB = 1 << 20

# --- DOCX -----------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')


def _document(paragraphs, prolog="") -> str:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">• {p}</w:t></w:r></w:p>'
                   for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


GOOD_PARAGRAPHS = [
    "La Secretaría de Relaciones Exteriores amplió la red consular de protección a personas "
    "migrantes en los Estados Unidos con nuevas oficinas móviles.",
    "El Instituto Nacional de Migración capacitó a su personal en derechos humanos de niñas, "
    "niños y adolescentes migrantes no acompañados.",
]


def _write_docx(path: Path, document: str | bytes, *, document_member=None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("word/_rels/document.xml.rels", DOC_RELS)
        if document_member is not None:
            document_member(archive)
        else:
            archive.writestr("word/document.xml", document)
    return path


def good_docx(folder: Path, name="bueno.docx") -> Path:
    """A small, valid DOCX with two bulleted actions."""
    return _write_docx(Path(folder) / name, _document(GOOD_PARAGRAPHS))


def docx_malformed_xml(folder: Path) -> Path:
    """document.xml cut in the middle of a tag."""
    return _write_docx(Path(folder) / "xml_roto.docx", _document(GOOD_PARAGRAPHS)[:-40])


def docx_entity_expansion(folder: Path) -> Path:
    """The "billion laughs": ten levels of entities, each ten of the one before."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">' for n in range(1, 10)]
    prolog = f'<!DOCTYPE w:document [{"".join(levels)}]>'
    return _write_docx(Path(folder) / "entidades.docx", _document(["&lol9;"], prolog=prolog))


def docx_external_entity(folder: Path) -> Path:
    """An entity that pulls in a file of the machine reading it."""
    prolog = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _write_docx(Path(folder) / "entidad_externa.docx", _document(["&xxe;"], prolog=prolog))


def docx_zip_bomb(folder: Path, *, inflated: int = 256 * MiB, lie: bool = False) -> Path:
    """A DOCX whose document.xml is a few hundred KB compressed and `inflated` bytes inflated
    (a valid paragraph padded with whitespace). With `lie`, the ZIP's directory declares the
    member 1 KB long, so only counting while inflating can tell."""
    head = _document(GOOD_PARAGRAPHS[:1]).encode()
    cut = head.index(b"</w:t>")

    def member(archive):
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as out:
            out.write(head[:cut])
            block = b" " * MiB
            for _ in range(inflated // MiB):
                out.write(block)
            out.write(head[cut:])

    path = _write_docx(Path(folder) / ("bomba_mentirosa.docx" if lie else "bomba.docx"), b"",
                       document_member=member)
    if lie:
        _understate_sizes(path, "word/document.xml")
    return path


def _understate_sizes(path: Path, member: str) -> None:
    """Rewrite a member's uncompressed size to 1024 in the local header and central directory
    (its ZIP64 extra field too)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, size_at, extra_len_at, name_len_at, header_len in (
            (b"PK\x03\x04", 22, 28, 26, 30), (b"PK\x01\x02", 24, 30, 28, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_len = int.from_bytes(data[start + name_len_at:start + name_len_at + 2], "little")
            if data[start + header_len:start + header_len + name_len] == name:
                if data[start + size_at:start + size_at + 4] != b"\xff\xff\xff\xff":
                    data[start + size_at:start + size_at + 4] = (1024).to_bytes(4, "little")
                extra = start + header_len + name_len
                extra_len = int.from_bytes(data[start + extra_len_at:start + extra_len_at + 2], "little")
                pos = extra
                while pos < extra + extra_len:
                    tag = int.from_bytes(data[pos:pos + 2], "little")
                    size = int.from_bytes(data[pos + 2:pos + 4], "little")
                    if tag == 1:  # ZIP64: uncompressed size first
                        data[pos + 4:pos + 12] = (1024).to_bytes(8, "little")
                    pos += 4 + size
            start += 4
    path.write_bytes(bytes(data))


# --- PDF ------------------------------------------------------------------------------------

def _pdf(content_stream: bytes, *, filters: str = "/FlateDecode") -> bytes:
    """A one-page PDF whose page content is `content_stream` (already encoded by `filters`)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(content_stream), filters.encode())
        + content_stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


TEXT_OPS = b"BT /F1 11 Tf 72 700 Td (- La Secretaria de Gobernacion amplio la atencion a migrantes.) Tj ET\n"


def _deflate_padded(text: bytes, padding: int) -> bytes:
    """`text` followed by `padding` spaces, deflated in a stream (never whole in memory)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(text)]
    block = b" " * MiB
    for _ in range(padding // MiB):
        parts.append(packer.compress(block))
    parts.append(packer.flush())
    return b"".join(parts)


def pdf_inflate_bomb(folder: Path, *, inflated: int = 1024 * MiB) -> Path:
    """A one-page PDF whose content stream is ~1 MB deflated and `inflated` bytes inflated."""
    path = Path(folder) / "bomba_flate.pdf"
    path.write_bytes(_pdf(_deflate_padded(TEXT_OPS, inflated)))
    return path


def pdf_nested_inflate_bomb(folder: Path, *, inflated: int = 1024 * MiB) -> Path:
    """The same bomb deflated twice (/Filter [/FlateDecode /FlateDecode]): a few KB on disk."""
    path = Path(folder) / "bomba_flate_doble.pdf"
    path.write_bytes(_pdf(zlib.compress(_deflate_padded(TEXT_OPS, inflated), 9),
                          filters="[/FlateDecode /FlateDecode]"))
    return path


def good_pdf(folder: Path, name="bueno.pdf") -> Path:
    """A small valid PDF with one bulleted action (its content stream deflated)."""
    path = Path(folder) / name
    path.write_bytes(_pdf(zlib.compress(TEXT_OPS)))
    return path


# --- special files --------------------------------------------------------------------------

def fifo(folder: Path, name="tuberia.pdf") -> Path:
    path = Path(folder) / name
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path) -> Path:
    """A folder holding only a.pdf -> b.pdf -> a.pdf."""
    folder = Path(folder)
    (folder / "a.pdf").symlink_to(folder / "b.pdf")
    (folder / "b.pdf").symlink_to(folder / "a.pdf")
    return folder


# --- JSON lines for pmm predict -------------------------------------------------------------

GOOD_LINE = '{"id": "ok", "text": "Programa de atención a personas migrantes en la frontera sur."}'
BAD_PREDICT_LINES = {
    "lone surrogate in text": '{"id": 2, "text": "Atención \\ud800 a migrantes"}',
    "lone surrogate in id": '{"id": "\\udfff", "text": "Atención a migrantes"}',
    "deeply nested JSON": '{"id": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "x"}',
    "5,000-digit id": '{"id": ' + "9" * 5000 + ', "text": "Atención a migrantes"}',
    "object as id": '{"id": {"a": 1}, "text": "Atención a migrantes"}',
    "NaN as id": '{"id": NaN, "text": "Atención a migrantes"}',
}


def predict_input(folder: Path, case: str) -> Path:
    """Three good lines with the bad `case` line second: nothing may be written for any."""
    path = Path(folder) / "entrada.jsonl"
    path.write_text("\n".join([GOOD_LINE, BAD_PREDICT_LINES[case], GOOD_LINE]) + "\n", encoding="utf-8")
    return path


MAKERS = {
    "docx_malformed_xml": docx_malformed_xml,
    "docx_entity_expansion": docx_entity_expansion,
    "docx_external_entity": docx_external_entity,
    "docx_zip_bomb": docx_zip_bomb,
    "pdf_inflate_bomb": pdf_inflate_bomb,
    "pdf_nested_inflate_bomb": pdf_nested_inflate_bomb,
}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    big = "--big" in argv
    for name, maker in MAKERS.items():
        kwargs = {}
        if big and name == "docx_zip_bomb":
            kwargs = {"inflated": 850 * MiB}
        path = maker(out, **kwargs)
        print(f"{path} ({path.stat().st_size:,} bytes)")
    if big:
        path = docx_zip_bomb(out, inflated=850 * MiB, lie=True)
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
