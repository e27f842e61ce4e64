"""Tables and the named, ordered migrations that create them.

SQLAlchemy Core, portable types only (JSON, DateTime with timezone), so that a PostgreSQL URL works
as well as the default SQLite file.
"""

import sqlalchemy as sa

metadata = sa.MetaData()

schema_versions = sa.Table(
    "schema_versions", metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_name", sa.String(500), nullable=False),
    # Where the file was when it was ingested: the review page renders page regions from it.
    sa.Column("path", sa.Text),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("actor", sa.String(40)),
    sa.Column("pages", sa.Integer),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    # The reporting period the submission belongs to, as the year it ends in ("2023" for
    # "junio de 2022 a junio de 2023"); added by migration 2, so older stores have it null.
    sa.Column("period", sa.String(40)),
)

actions = sa.Table(
    "actions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), index=True),
    # An id the action had before it reached the store (seed id, input JSON id); may be null.
    sa.Column("external_id", sa.String(200), index=True),
    sa.Column("ordinal", sa.Integer, nullable=False, default=0),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("text_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("pages", sa.JSON, nullable=False, default=list),
    sa.Column("bbox", sa.JSON),
    sa.Column("heading", sa.Text),
    sa.Column("actor", sa.String(40), index=True),
    sa.Column("actor_type", sa.String(20)),
    sa.Column("stated_objectives", sa.JSON, nullable=False, default=list),
    sa.Column("challenges_text", sa.Text),
    sa.Column("period", sa.String(40)),
    # What the submission says the action achieved (a form's "Resultados" column); migration 3.
    sa.Column("results_text", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

predictions = sa.Table(
    "predictions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False),
    sa.Column("scheme", sa.String(20), nullable=False),
    sa.Column("model_version", sa.String(80), nullable=False),
    sa.Column("label", sa.String(60), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("assigned", sa.Boolean, nullable=False, default=False),
    sa.Column("evidence", sa.JSON),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("action_id", "scheme", "model_version", "label", name="uq_prediction"),
    sa.Index("ix_predictions_lookup", "scheme", "model_version", "action_id"),
)

# Append-only: a later decision on the same (action, scheme) supersedes an earlier one; an undo is
# itself recorded (undone_at), never a delete. No model code writes here.
decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("scheme", sa.String(20), nullable=False),
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("reviewer", sa.String(120), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),  # page, xlsx, jsonl, cli
    # What the model said when the human decided: version and its assigned labels with scores.
    sa.Column("model_version", sa.String(80)),
    sa.Column("model_labels", sa.JSON),
    sa.Column("note", sa.Text),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
)

model_versions = sa.Table(
    "model_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("scheme", sa.String(20), nullable=False),
    sa.Column("version", sa.String(80), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("card", sa.JSON),
    sa.UniqueConstraint("scheme", "version", name="uq_model_version"),
)


# An analyst's mark that an action is "destacada": it is proposed first among its objective's main
# actions in the draft Informe. Append-only like decisions: an unmark is a timestamp.
highlights = sa.Table(
    "highlights", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("reviewer", sa.String(120), nullable=False),
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
)


# --- migration 2: reporting periods, duplicates, continuing programmes -----------------------

# A pair of actions of one period that may be the same programme reported twice, as found by
# `pipeline.review.duplicates`; machine-made, like predictions. action_id < other_id.
duplicate_candidates = sa.Table(
    "duplicate_candidates", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("period", sa.String(40)),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("other_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("action_id", "other_id", name="uq_duplicate_candidate"),
)

# What a person said about a pair: "same" (one action reported twice) or "different".
# Append-only like decisions: the newest one not undone is in force.
duplicate_resolutions = sa.Table(
    "duplicate_resolutions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("other_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("reviewer", sa.String(120), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("undone_at", sa.DateTime(timezone=True)),
)

# An action of period N that continues an action of period N-1 (same actor and programme), as
# found by `pipeline.review.continuing`; machine-made. Its labels are only proposed from it.
continuations = sa.Table(
    "continuations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("previous_id", sa.Integer, sa.ForeignKey("actions.id"), nullable=False, index=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("action_id", "previous_id", name="uq_continuation"),
)


def _create_v1(conn):
    metadata.create_all(conn, tables=[submissions, actions, predictions, decisions, model_versions])


def _add_columns(conn, table: sa.Table, *names: str) -> None:
    """Add columns a later migration introduced. A new store's first migration already created
    them from the current table definition; a store made by an older pmm lacks them."""
    existing = {column["name"] for column in sa.inspect(conn).get_columns(table.name)}
    for name in names:
        if name not in existing:
            column = table.c[name]
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))


def _periods_v2(conn):
    _add_columns(conn, submissions, "period")
    indexes = {i["name"] for i in sa.inspect(conn).get_indexes("actions")}
    if "ix_actions_period" not in indexes:
        sa.Index("ix_actions_period", actions.c.period).create(conn)
    metadata.create_all(conn, tables=[duplicate_candidates, duplicate_resolutions, continuations])


def _results_and_highlights_v3(conn):
    _add_columns(conn, actions, "results_text")
    metadata.create_all(conn, tables=[highlights])


# Each migration is (version, name, function). Append new ones; never edit one that has shipped.
MIGRATIONS = [
    (1, "initial: submissions, actions, predictions, decisions, model_versions", _create_v1),
    (2, "periods: submissions.period, duplicate candidates and resolutions, continuations",
     _periods_v2),
    (3, "actions.results_text; highlights (actions marked destacada)", _results_and_highlights_v3),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
