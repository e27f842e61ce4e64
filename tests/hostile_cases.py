"""The hostile-inputs cases: what each hostile or broken input is, and what pmm does with it.

The tests in tests/test_hostile_*.py are parametrized by these ids (each test asserts the
behaviour written here), and tools/hostile_inputs_doc.py turns this list into
docs/hostile-inputs.md; tests/test_hostile_doc.py fails when the two drift apart.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    id: str
    area: str
    given: str
    does: str


AREAS = {
    "files": "Submission files (`pmm extract`, `pmm ingest`, `pmm run`)",
    "paths": "Paths that are not submission files (`pmm ingest`)",
    "predict": "JSON lines for `pmm predict`",
    "cache": "Embedding cache",
    "store": "The store (`--db`, `$PMM_DB`)",
    "models": "Model versions (`--version`, `CURRENT`)",
    "sheet": "Review spreadsheet (`pmm review import`)",
    "export": "Exports read by spreadsheet programs",
    "server": "Review server (`pmm serve`)",
}

CASES = [
    # --- submission files ---------------------------------------------------------------
    Case("docx-malformed-xml", "files", "DOCX whose `word/document.xml` is cut in the middle of a tag",
         "one line: `corrupt DOCX: part word/document.xml is not well-formed XML (…)`; the other "
         "files of the batch are stored"),
    Case("docx-entity-expansion", "files", "DOCX with nested entity definitions (\"billion laughs\")",
         "one line: `unsafe DOCX: part word/document.xml declares a DTD or entities`; nothing "
         "is expanded"),
    Case("docx-external-entity", "files", "DOCX with an external entity (`file:///etc/passwd`)",
         "one line: `unsafe DOCX: … declares a DTD or entities`; nothing is fetched or read"),
    Case("docx-zip-bomb", "files", "DOCX whose document.xml inflates to 600 MiB (600 KB file)",
         "one line: `DOCX inflates to 600 MiB (over 512 MiB; a decompression bomb?)`, from the "
         "ZIP directory, before inflating anything; memory bounded"),
    Case("docx-zip-bomb-lying", "files",
         "the same bomb with its ZIP directory claiming 1 KB inflated",
         "one line (`corrupt DOCX` / `inflates beyond the allowed size`): sizes are counted while "
         "inflating, never trusted; memory bounded"),
    Case("docx-xml-bomb-under-total", "files",
         "DOCX whose XML inflates to 200 MiB (under the 512 MiB total, over the 128 MiB for XML)",
         "one line: `DOCX part word/document.xml inflates beyond the allowed size`; memory bounded"),
    Case("pdf-inflate-bomb", "files", "one-page PDF whose content stream inflates to 300 MiB (300 KB file)",
         "one line: `a compressed stream (at byte …) inflates to more than 128 MiB`; streams are "
         "pre-scanned with bounded decompressors; memory bounded"),
    Case("pdf-nested-inflate-bomb", "files",
         "the same stream deflated twice (`/Filter [/FlateDecode /FlateDecode]`, 3 KB file)",
         "one line, as above: nested zlib layers are followed"),
    # --- paths ----------------------------------------------------------------------------
    Case("fifo", "paths", "a FIFO named `x.pdf`, in a folder or given by name",
         "refused without opening it (`a FIFO (named pipe), not a file`); never hangs; the rest "
         "of the batch is stored; exit 1"),
    Case("dev-zero", "paths", "`/dev/zero`, given by name or as a symlink `x.pdf` in the folder",
         "refused without reading it (`a device, not a file`); exit 1"),
    Case("symlink-loop", "paths", "a folder holding only `a.pdf → b.pdf → a.pdf`",
         "each link refused (`cannot read (Too many levels of symbolic links)`); exit 1"),
    Case("empty-folder", "paths", "an empty folder (or one with no PDF/DOCX)",
         "one line: `<folder>: no PDF or DOCX files to ingest`; exit 1"),
    # --- pmm predict ------------------------------------------------------------------------
    Case("lone-surrogate-text", "predict", "a line whose text holds `\"\\ud800\"`",
         "one line naming file and line: `lone surrogate '\\ud800' at character …`; nothing written"),
    Case("lone-surrogate-id", "predict", "a line whose id is `\"\\udfff\"`",
         "one line naming file and line; nothing written"),
    Case("deep-nesting", "predict", "a line nesting 100,000 arrays",
         "one line: `not valid JSON (nested too deeply)`; nothing written"),
    Case("huge-int-id", "predict", "a line whose id has 5,000 digits",
         "one line: `not valid JSON (Exceeds the limit (4300 digits) …)`; nothing written"),
    Case("object-id", "predict", "a line whose id is an object",
         "one line: `\"id\" must be a string or a number, not dict`; nothing written"),
    Case("nan-id", "predict", "a line whose id is `NaN` (Python reads it; JSON has no NaN)",
         "one line: `not valid JSON (NaN is not JSON)`; nothing written"),
    Case("output-missing-folder", "predict", "`-o` into a folder that does not exist",
         "one line: `folder … does not exist`; nothing written"),
    Case("crash-mid-output", "predict", "the model fails after the first batch was written",
         "no output file (lines go to a temporary file renamed at the end); an existing output "
         "file is left as it was"),
    # --- embedding cache ------------------------------------------------------------------------
    Case("cache-wrong-size", "cache", "a cache shard whose vectors have the wrong length",
         "its vectors are ignored and recomputed; predictions are unchanged"),
    Case("cache-nan", "cache", "a cache shard holding NaN vectors under real keys",
         "those vectors are ignored and recomputed; predictions are unchanged"),
    Case("cache-garbage", "cache", "a cache shard that is not a .npz at all",
         "ignored; vectors recomputed"),
    # --- store ------------------------------------------------------------------------------------
    Case("db-not-sqlite", "store", "`--db` a text file", "one line: `<db>: not a SQLite database`"),
    Case("db-folder", "store", "`--db` a folder", "one line: `not a SQLite database (not a regular file)`"),
    Case("db-missing-folder", "store", "`--db` in a folder that does not exist",
         "one line: `folder … does not exist`"),
    Case("db-read-only", "store", "a read-only store (`file:…?mode=ro`) and `pmm ingest`",
         "each file fails with `read-only (pmm needs to write …)`; nothing half-written; exit 1"),
    Case("db-locked", "store", "a store another process holds locked past the busy timeout",
         "`locked by another process for more than … s; try again`; nothing half-written; exit 1"),
    Case("db-postgres-no-driver", "store", "a PostgreSQL URL when psycopg is not installed",
         "one line: `the database driver is not installed (pip install 'pmm[postgres]')`"),
    Case("db-concurrent-create", "store", "two processes creating the same new store at once",
         "both succeed: migrations run in one transaction under the store's write lock "
         "(SQLite `BEGIN IMMEDIATE`, PostgreSQL advisory lock)"),
    # --- model versions ----------------------------------------------------------------------------
    Case("version-path", "models", "`--version ../sdg/<version>`",
         "one line: `--version: '../sdg/…' is not a gcm model version name`"),
    Case("current-path", "models", "`models/gcm/CURRENT` holding `../sdg/<version>`",
         "one line naming the CURRENT file"),
    Case("version-other-scheme", "models", "a gcm version folder that is a copy (or symlink) of an SDG model",
         "one line: `the card is for sdg goal …, not gcm goal …; refusing to load it`"),
    # --- review sheet ------------------------------------------------------------------------------
    Case("sheet-key-column-deleted", "sheet", "the hidden `row_key` column deleted",
         "one line: `sheet 'objetivos_pmm': its columns were changed …`; nothing recorded"),
    Case("sheet-renamed", "sheet", "the review sheet renamed",
         "one line: `sheet '…' is not a sheet pmm wrote (renamed? …)`; nothing recorded"),
    Case("sheet-imported-twice", "sheet", "the same filled-in sheet imported twice",
         "the second import records nothing (`0 decisions recorded, … N already recorded`)"),
    Case("sheet-key-scheme-edited", "sheet", "a row's row_key edited from `gcm|…` to `sdg|…`",
         "that row is refused (`row_key says 'sdg' but this is the 'gcm' sheet`); the rest recorded"),
    Case("sheet-with-dtd", "sheet", "a workbook whose XML declares entities",
         "one line: `unsafe XLSX: … declares a DTD or entities`"),
    Case("sheet-not-a-file", "sheet", "a FIFO named `x.xlsx`",
         "one line: `a FIFO (named pipe), not a file`; never hangs"),
    # --- exports ----------------------------------------------------------------------------------------
    Case("csv-formula", "export", "an action text `=cmd|' /C calc'!A0` in `pmm review queue --format csv`",
         "written as `'=cmd|…` (a leading apostrophe); the same rule (pipeline/cells.py) serves "
         "every CSV; XLSX cells hold it as a string, never a formula"),
    # --- review server ---------------------------------------------------------------------------
    Case("server-huge-url-id", "server", "`/api/actions/99999999999999999999999`",
         "404, not a 500 (ids in URLs are 1 … 2⁶³−1)"),
    Case("server-huge-json-id", "server", "`{\"action_id\": 10**30}`", "400 `must be a positive whole number`"),
    Case("server-bool-id", "server", "`{\"action_id\": true}`", "400 (not read as action 1)"),
    Case("server-float-id", "server", "`{\"action_id\": 2.9}`", "400 (not read as action 2)"),
    Case("server-unknown-model-version", "server", "a decision naming a model version that never scored the action",
         "400 `Model … has not scored this action`; nothing recorded"),
    Case("server-undo-other-session", "server", "an undo sent with the decider's name from another browser",
         "403: an undo needs the session (server-side cookie) that made the decision"),
    Case("server-loopback-127-0-0-2", "server", "`pmm serve --host 127.0.0.2`",
         "answers (any loopback address is local), still 403 to other Host headers"),
    Case("server-token-in-log", "server", "the first visit with `/?token=…`",
         "the access log shows `token=***`; the token moves to an HttpOnly cookie"),
]

BY_ID = {case.id: case for case in CASES}


def ids(area: str) -> list[str]:
    """The case ids of an area, for `pytest.mark.parametrize`."""
    return [case.id for case in CASES if case.area == area]
