"""`pmm predict`: classify JSON lines of texts with a trained model (PRODUCT.md's contract)."""

import sys

import click

from ..config import MODELS_DIR
from ..schemes import SCHEMES
from .common import LEVEL_OPTION, reports_errors, write_jsonl


@click.command("predict")
@click.option("--scheme", type=click.Choice(SCHEMES), required=True, help="Label set to score.")
@LEVEL_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write JSON lines here instead of stdout.")
@click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR), show_default=False,
              help="Folder of trained models (default: the project's models/).")
@click.option("--version", "model_version", default=None, help="A model version other than the current one.")
@click.option("--no-evidence", is_flag=True, help="Leave out the evidence (sentences and terms).")
@click.argument("input_path", metavar="IN.jsonl", type=click.Path(dir_okay=False, allow_dash=True))
@reports_errors
def command(scheme, level, output, models_dir, model_version, no_evidence, input_path):
    """Score every label of a scheme for each {"id", "text"} line of IN.jsonl ("-": stdin).

    Each output line: {"id", "labels": [{"label", "score"}, ...] (all labels, best first,
    calibrated probabilities), "assigned": [labels above their thresholds], "evidence"}.

    Example: pmm predict --scheme gcm actions.jsonl -o scored.jsonl
    """
    from ..classify import load_model, predict_jsonl
    from ..inputs import MAX_JSONL_BYTES, read_stream

    model = load_model(scheme, level, models_dir=models_dir, version=model_version)
    if input_path == "-":
        source, name = read_stream(sys.stdin.buffer, "<stdin>", max_bytes=MAX_JSONL_BYTES), "<stdin>"
    else:
        source, name = input_path, input_path
    # predict_jsonl checks every line before it yields anything, and write_jsonl renames its
    # file into place only when the last line is written: a bad line writes nothing.
    rows = predict_jsonl(model, source, name=name, evidence=not no_evidence)
    write_jsonl(rows, output)
