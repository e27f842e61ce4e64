"""Reading files people hand to pmm, with limits: the one gate every input goes through.

A path on a command line can be a FIFO (opening it blocks forever), a device (`/dev/zero` never
ends), a folder, or a file far larger than any submission; a ZIP (DOCX, XLSX) can inflate a
thousandfold or carry XML with entity definitions; a PDF stream can inflate a thousandfold too.
Every check here raises BadInput naming the file and the reason, before the library that would
hang or fill the memory gets the file.
"""

from __future__ import annotations

import io
import itertools
import mmap
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

from .errors import BadInput

MiB = 1 << 20
# A submission (PDF, DOCX) bigger than this is not one: reports run to a few hundred MB at most.
MAX_SUBMISSION_BYTES = 1024 * MiB
# JSON lines of texts to classify, and review sheets: read whole, so a tighter bound.
MAX_JSONL_BYTES = 256 * MiB
MAX_SHEET_BYTES = 64 * MiB
# What a ZIP (DOCX/XLSX) may hold once inflated: all members, and its XML parts. A 500-page
# Word report's document.xml is about 20 MB; its pictures are stored, not inflated.
MAX_ZIP_INFLATED = 512 * MiB
MAX_ZIP_XML_INFLATED = 128 * MiB
MAX_ZIP_MEMBERS = 10_000
# A PDF stream that inflates beyond this is a bomb, not a page: a 600 dpi A4 RGB scan is 105 MB.
MAX_PDF_STREAM_INFLATED = 128 * MiB
# Streams nested in more Flate layers than this are refused outright.
MAX_FLATE_LAYERS = 3
CHUNK = 64 * 1024

_KINDS = ((stat.S_ISDIR, "a folder, not a file"), (stat.S_ISFIFO, "a FIFO (named pipe), not a file"),
          (stat.S_ISCHR, "a device, not a file"), (stat.S_ISBLK, "a device, not a file"),
          (stat.S_ISSOCK, "a socket, not a file"))


def _human(size: int) -> str:
    return f"{size / MiB:,.0f} MiB" if size >= MiB else f"{size:,} bytes"


def check_file(path, *, max_bytes: int = MAX_SUBMISSION_BYTES) -> os.stat_result:
    """The stat of `path` if it is a regular file no bigger than `max_bytes`.

    Never opens the file, so a FIFO cannot block and a device cannot stream forever.

    :raises BadInput: missing, unreadable, not a regular file, or too big.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise BadInput(path, "no such file" if not os.path.islink(path)
                       else "a broken symbolic link") from None
    except OSError as exc:  # ELOOP for a symlink loop, EACCES, ENAMETOOLONG…
        raise BadInput(path, f"cannot read ({exc.strerror or exc})") from None
    for test, what in _KINDS:
        if test(info.st_mode):
            raise BadInput(path, what)
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(path, "not a regular file")
    if info.st_size > max_bytes:
        raise BadInput(path, f"{_human(info.st_size)} is over the {_human(max_bytes)} limit for this input")
    return info


def open_file(path, *, max_bytes: int = MAX_SUBMISSION_BYTES):
    """A binary stream of a regular file; O_NONBLOCK so that a FIFO swapped in after the check
    cannot block, and the opened file itself is checked again."""
    check_file(path, max_bytes=max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BadInput(path, f"cannot read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        raise BadInput(path, "changed while being opened (not a regular file any more)")
    return os.fdopen(fd, "rb")


def read_bytes(path, *, max_bytes: int) -> bytes:
    """The whole content of a regular file of at most `max_bytes`."""
    with open_file(path, max_bytes=max_bytes) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew after the check
        raise BadInput(path, f"more than the {_human(max_bytes)} limit for this input")
    return data


def read_stream(stream, name, *, max_bytes: int) -> bytes:
    """At most `max_bytes` of a stream (stdin), refusing more."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise BadInput(name, f"more than the {_human(max_bytes)} limit for this input")
    return data


# --- ZIP containers (DOCX, XLSX) ----------------------------------------------------------------

XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_zip(path, *, kind: str, max_inflated: int = MAX_ZIP_INFLATED,
              max_xml_inflated: int = MAX_ZIP_XML_INFLATED) -> None:
    """Refuse a ZIP container that is a decompression bomb or holds unsafe or malformed XML.

    The declared sizes are checked first (cheap), then every member is inflated in chunks and
    its real size counted, so a member lying about its size is stopped at the limit too. Every
    XML part is parsed as it streams by, with DTDs, entities and external references forbidden
    (Office files never use them), so python-docx and openpyxl only ever see well-formed,
    entity-free XML of bounded size. Memory stays at one chunk plus the parser's current element.

    :raises BadInput: naming the file, the member and the reason.
    """
    check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadInput(path, f"corrupt {kind} ({exc})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise BadInput(path, f"{kind} with {len(members):,} parts (over {MAX_ZIP_MEMBERS:,})")
        declared = sum(m.file_size for m in members)
        if declared > max_inflated:
            raise BadInput(path, f"{kind} inflates to {_human(declared)} (over {_human(max_inflated)}; "
                                 "a decompression bomb?)")
        total = xml_total = 0
        for member in members:
            is_xml = member.filename.lower().endswith(XML_SUFFIXES)
            budget = min(max_inflated - total, (max_xml_inflated - xml_total) if is_xml else max_inflated)
            try:
                with archive.open(member) as raw:
                    counted = _Bounded(raw, budget, path, kind, member.filename)
                    if is_xml:
                        _check_xml(counted, path, kind, member.filename)
                    else:
                        while counted.read(CHUNK):
                            pass
            except BadInput:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                    RuntimeError, ValueError) as exc:
                raise BadInput(path, f"corrupt {kind} (part {member.filename}: {exc})") from None
            total += counted.count
            if is_xml:
                xml_total += counted.count


class _Bounded(io.RawIOBase):
    """A reader that counts what it passes on and refuses to pass more than `limit` bytes."""

    def __init__(self, raw, limit, path, kind, member):
        self.raw, self.limit, self.count = raw, limit, 0
        self.path, self.kind, self.member = path, kind, member

    def readable(self):
        return True

    def read(self, size=-1):
        size = CHUNK if size is None or size < 0 else min(size, CHUNK)
        data = self.raw.read(size)
        self.count += len(data)
        if self.count > self.limit:
            raise BadInput(self.path, f"{self.kind} part {self.member} inflates beyond the "
                                      "allowed size (a decompression bomb?)")
        return data


def _check_xml(stream, path, kind, member) -> None:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse
    from xml.etree.ElementTree import ParseError

    try:
        for _event, element in iterparse(stream, events=("end",), forbid_dtd=True,
                                         forbid_entities=True, forbid_external=True):
            element.clear()  # keep only the open path of the tree, not what was read
    except DefusedXmlException as exc:
        raise BadInput(path, f"unsafe {kind}: part {member} declares a DTD or entities "
                             f"({type(exc).__name__}); Office files never do") from None
    except ParseError as exc:
        raise BadInput(path, f"corrupt {kind}: part {member} is not well-formed XML ({exc})") from None


# --- PDF streams ----------------------------------------------------------------------------------

# "stream" then an end of line, not the "stream" of "endstream".
_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def check_pdf_streams(path, *, max_inflated: int = MAX_PDF_STREAM_INFLATED) -> None:
    """Refuse a PDF holding a Flate stream that inflates beyond `max_inflated`.

    pdfminer inflates each stream whole, in memory, with no limit. Every stream of a PDF appears
    in its bytes as `stream … endstream` (object streams hold objects, not streams), so each one
    is inflated here in chunks, counting and discarding, and stopped at the limit; a stream whose
    output is itself zlib data (a chain of Flate filters) is followed through its layers. The
    check reads the file through mmap: memory is a few chunks whatever the file holds.
    Limitation: an encrypted PDF's streams are only readable after decryption and are not checked.

    :raises BadInput: naming the file, the stream's offset and the limit.
    """
    with open_file(path) as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for match in _STREAM_START.finditer(data):
                start = match.end()
                if not _looks_like_zlib(data[start:start + 2]):
                    continue
                size = _inflated_size(data, start, max_inflated)
                if size > max_inflated:
                    raise BadInput(path, f"a compressed stream (at byte {match.start():,}) inflates to "
                                         f"more than {_human(max_inflated)} (a decompression bomb?)")


def _looks_like_zlib(head: bytes) -> bool:
    """A zlib header: deflate method, a window of at most 32 KiB, and a valid check value."""
    return (len(head) >= 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7
            and (head[0] << 8 | head[1]) % 31 == 0)


class _TooBig(Exception):
    pass


def _inflated_size(data, start: int, limit: int) -> int:
    """How much the zlib data at `data[start:]` inflates to, following nested zlib layers, or
    `limit + 1` as soon as one layer is known to exceed `limit`."""
    raw = (data[i:i + CHUNK] for i in range(start, len(data), CHUNK))
    sizes = []
    try:
        _drain(_inflate(raw, limit, sizes), limit, sizes, depth=1)
    except _TooBig:
        return limit + 1
    return max(sizes, default=0)


def _inflate(chunks, limit, sizes):
    """Inflated chunks of the zlib data in `chunks`, until its end or the first corrupt byte
    (where pdfminer stops too); raises _TooBig past `limit`."""
    layer = zlib.decompressobj()
    slot = len(sizes)
    sizes.append(0)
    for chunk in chunks:
        while chunk and not layer.eof:
            try:
                out = layer.decompress(chunk, CHUNK)
            except zlib.error:
                return
            chunk = layer.unconsumed_tail
            sizes[slot] += len(out)
            if sizes[slot] > limit:
                raise _TooBig
            if out:
                yield out
        if layer.eof:
            return


def _drain(chunks, limit, sizes, depth):
    """Consume `chunks`; if they are themselves zlib data, inflate that layer too."""
    chunks = iter(chunks)
    head = b""
    for piece in chunks:
        head += piece
        if len(head) >= 2:
            break
    if depth < MAX_FLATE_LAYERS and _looks_like_zlib(head[:2]):
        _drain(_inflate(itertools.chain([head], chunks), limit, sizes), limit, sizes, depth + 1)
    for _ in chunks:  # what this layer holds after the inner one ends counts too
        pass
