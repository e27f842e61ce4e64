"""The store: submissions, actions, predictions, decisions and model versions (SQLite by default)."""

from .db import connect
from .schema import SCHEMA_VERSION, actions, decisions, model_versions, predictions, submissions

__all__ = ["connect", "SCHEMA_VERSION", "submissions", "actions", "predictions", "decisions",
           "model_versions"]
