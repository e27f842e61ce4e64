"""The errors pmm raises. The library raises them; only the CLI turns them into exits."""


class PmmError(Exception):
    """Base of every error pmm reports to a user: one line, naming what and why."""


class BadInput(PmmError):
    """A file or record the user gave cannot be read: the message names it and the reason."""

    def __init__(self, source, reason):
        self.source = str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class TaxonomyError(PmmError):
    """A taxonomy data file is inconsistent (duplicate id, empty name, dangling reference)."""


class UnknownScheme(PmmError):
    """A classification scheme or label set that pmm does not know."""


class ModelIntegrityError(PmmError):
    """A model artefact whose sha256 does not match its card: it is never unpickled."""


class StoreError(PmmError):
    """The store cannot be opened or is at a schema version this code does not know."""
