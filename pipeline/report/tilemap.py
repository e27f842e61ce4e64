"""A tile-grid map of Mexico's 32 states, coloured by the Informe's action buckets.

The grid (`corpus/taxonomy/mx_tilegrid.csv`: id,row,col,abbr) ships with the project: one square
per state, placed roughly where the state lies, so nothing is downloaded and every state is the
same size whatever its area.
"""

import csv
from dataclasses import dataclass

from matplotlib.patches import Patch, Rectangle

from ..config import TAXONOMY_DIR
from ..errors import TaxonomyError
from ..taxonomy import load_actors
from . import i18n
from .charts import COLOR_TEXT, figure, to_png
from .tables import NO_ACTIONS_BUCKET, STATE_BUCKETS, bucket_of

TILEGRID_FILE = TAXONOMY_DIR / "mx_tilegrid.csv"

# The Informe's legend colours (red, yellow, green), muted for print; grey for no actions.
FILL = {"red": "#C8453B", "yellow": "#F2C94C", "green": "#3F8F5A", "grey": "#E3E3E3"}
INK = {"red": "white", "yellow": "#222222", "green": "white", "grey": "#777777"}


@dataclass(frozen=True)
class Tile:
    id: str
    row: int
    col: int
    abbr: str


def load_tilegrid(path=TILEGRID_FILE) -> tuple[Tile, ...]:
    """The 32 tiles. :raises TaxonomyError: naming the file and line of a bad or missing tile."""
    try:
        with open(path, encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read the tile grid ({exc.strerror or exc})") from None
    tiles, places = [], {}
    for line, row in enumerate(rows, start=2):
        try:
            tile = Tile(id=row["id"].strip(), row=int(row["row"]), col=int(row["col"]),
                        abbr=row["abbr"].strip())
        except (KeyError, ValueError, AttributeError):
            raise TaxonomyError(f"{path}: line {line}: needs id,row,col,abbr "
                                "with integer row and col") from None
        if (tile.row, tile.col) in places:
            raise TaxonomyError(f"{path}: line {line}: {tile.id} is on the same square as "
                                f"{places[(tile.row, tile.col)]}")
        places[(tile.row, tile.col)] = tile.id
        tiles.append(tile)
    expected = {state.id for state in load_actors().states()}
    found = [tile.id for tile in tiles]
    if sorted(found) != sorted(expected):
        missing = sorted(expected - set(found))
        extra = sorted(set(found) - expected) or sorted({i for i in found if found.count(i) > 1})
        raise TaxonomyError(f"{path}: the grid must hold each of the 32 states once "
                            f"(missing: {missing or 'none'}; unknown or repeated: {extra or 'none'})")
    return tuple(tiles)


def tile_map(states, lang: str) -> bytes:
    """PNG of the map: each state's square coloured by its bucket, with its abbreviation and count.

    :param states: the `states` table (state_id, actions); states absent from it have no actions.
    """
    counts = dict(zip(states["state_id"], (int(n) for n in states["actions"])))
    tiles = load_tilegrid()
    rows = max(t.row for t in tiles) + 1
    cols = max(t.col for t in tiles) + 1
    fig = figure(9.0, 4.9)
    ax = fig.add_subplot()
    ax.set_xlim(-0.1, cols + 0.1)
    ax.set_ylim(rows + 0.1, -0.1)  # row 0 at the top
    ax.set_aspect("equal")
    ax.axis("off")
    for tile in tiles:
        count = counts.get(tile.id, 0)
        colour = bucket_of(count)[3]
        ax.add_patch(Rectangle((tile.col + 0.04, tile.row + 0.04), 0.92, 0.92,
                               facecolor=FILL[colour], edgecolor="white", linewidth=1.5))
        ax.text(tile.col + 0.5, tile.row + 0.40, tile.abbr, ha="center", va="center",
                fontsize=8, fontweight="bold", color=INK[colour])
        ax.text(tile.col + 0.5, tile.row + 0.70, str(count), ha="center", va="center",
                fontsize=7.5, color=INK[colour])
    legend = [Patch(facecolor=FILL[colour], edgecolor="#BBBBBB", label=i18n.text(f"bucket_{key}", lang))
              for key, _, _, colour in (*STATE_BUCKETS, NO_ACTIONS_BUCKET)]
    # The grid's north-east (the Gulf of Mexico) is empty: the legend goes there.
    ax.legend(handles=legend, title=i18n.text("map_legend_title", lang), loc="upper right",
              frameon=False, fontsize=8.5, title_fontsize=9, labelcolor=COLOR_TEXT,
              alignment="left")
    return to_png(fig)
