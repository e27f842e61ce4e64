"""Human review of the model's labels: what to look at first, and recording what people decide.

- `queue`: the actions whose labels most need a human (lowest top score, smallest margin,
  disagreement between model variants); decided ones never come back unless asked.
- `decisions`: label sets checked against the taxonomy, appended to the store with who, when,
  where and what the model said.
- `export` / `importer` (with `sheet`): the XLSX round trip analysts work in.
- `corrections`: the decisions as JSON lines under corpus/corrections/, for git.
- `suspects`: seed or human labels a cross-validated model confidently contradicts.
- `server` (with `leases`, `region`, `page_text`, templates/, static/): the review web page.
"""

from .decisions import record
from .queue import STRATEGIES, queue_progress, review_queue

__all__ = ["review_queue", "queue_progress", "record", "STRATEGIES"]
