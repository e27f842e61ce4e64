"""The Compendio General: every counted action, grouped by GCM objective and then by actor, as a
Word document and as an HTML page made from the same sections.

An action carries the objectives `frame.py` gives it (human decision, else stated by the document,
else the model) and appears under each; actions with none are listed last. Within an objective,
federal actors come first, then states, then other actors, each group in name order.
"""

from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from ..schemes import SCHEMES
from ..store.queries import label_order
from ..taxonomy import load_scheme
from . import i18n, word
from .tables import _label_name

LEVEL_ORDER = {"federal": 0, "state": 1, "other": 2}
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Entry:
    """One action as the Compendio shows it under one objective."""

    action_id: int
    actor_name: str
    level: str
    text: str
    results: str
    challenges_text: str
    sdgs: tuple[str, ...]
    challenges: tuple[str, ...]
    source: str
    label_source: str
    also_under: tuple[str, ...]


@dataclass(frozen=True)
class ActorGroup:
    actor_name: str
    level: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class ObjectiveSection:
    """An objective (None: the actions without one) with its actions grouped by actor."""

    objective: str | None
    title: str
    count: int
    levels: tuple[tuple[str, tuple[ActorGroup, ...]], ...]


def compendio_sections(frame: pd.DataFrame, lang: str) -> list[ObjectiveSection]:
    """The Compendio's sections, in objective order, from the report's per-action frame."""
    gcm, sdg, challenge = (load_scheme(name) for name in SCHEMES)
    sections = []
    for objective in gcm.ids:
        under = frame[frame["gcm"].map(lambda labels, o=objective: o in labels)]
        if len(under):
            sections.append(_section(objective, gcm.get(objective).name(lang), under, sdg, challenge, lang))
    unlabelled = frame[frame["gcm"].map(len) == 0]
    if len(unlabelled):
        sections.append(_section(None, i18n.text("compendio_unlabelled", lang), unlabelled, sdg, challenge,
                                 lang))
    return sections


def _section(objective, title, rows, sdg, challenge, lang) -> ObjectiveSection:
    entries = [_entry(row, objective, sdg, challenge, lang) for row in rows.itertuples(index=False)]
    levels = []
    for level in sorted({e.level for e in entries}, key=LEVEL_ORDER.get):
        at_level = [e for e in entries if e.level == level]
        names = sorted({e.actor_name for e in at_level}, key=lambda n: n.casefold())
        groups = tuple(ActorGroup(name, level, tuple(sorted((e for e in at_level if e.actor_name == name),
                                                            key=lambda e: e.action_id)))
                       for name in names)
        levels.append((level, groups))
    return ObjectiveSection(objective, title, len(entries), tuple(levels))


def _entry(row, objective, sdg, challenge, lang) -> Entry:
    return Entry(
        action_id=int(row.action_id),
        actor_name=actor_label(row, lang),
        level=row.level,
        text=word.plain_text(row.text),
        results=word.plain_text(row.results_text).strip(),
        challenges_text=word.plain_text(row.challenges_text).strip(),
        sdgs=tuple(f"{g}. {_label_name(sdg, g, lang)}" for g in row.sdg),
        challenges=tuple(_label_name(challenge, c, lang) for c in row.challenge),
        source=source_label(row, lang),
        label_source=i18n.text(f"source_{row.gcm_source if isinstance(row.gcm_source, str) else 'none'}", lang),
        also_under=tuple(sorted((o for o in row.gcm if o != objective), key=label_order)) if objective else (),
    )


def source_label(row, lang: str) -> str:
    """Where the action was read: "file.pdf, p. 3, 4" (empty when neither is known)."""
    pages = ", ".join(str(p) for p in row.pages)
    return ", ".join(part for part in (word.plain_text(row.file_name),
                                       i18n.text("compendio_page", lang, pages=pages) if pages else "")
                     if part)


def actor_label(row, lang: str) -> str:
    """The actor's name, else its id, else "(sin actor)"."""
    return word.plain_text(row.actor_name) or word.plain_text(row.actor) or i18n.text("no_actor", lang)


def count_phrase(n: int, lang: str) -> str:
    key = "compendio_objective_count_one" if n == 1 else "compendio_objective_count"
    return i18n.text(key, lang, n=n)


def section_heading(section: ObjectiveSection, lang: str) -> str:
    if section.objective is None:
        return section.title
    return i18n.text("informe_objective_heading", lang, objective=section.objective, title=section.title)


# --- Word -------------------------------------------------------------------------------------

def write_compendio_docx(path: Path, sections: list[ObjectiveSection], context: dict, lang: str) -> Path:
    """Write the Compendio as DOCX: title page, contents, then each objective's actions."""
    doc = word.new_document(i18n.text("compendio_title", lang))
    word.paragraph(doc, i18n.text("kicker", lang), size=10, color=word.GRIS)
    doc.add_heading(i18n.text("compendio_title", lang), level=0)
    word.paragraph(doc, i18n.text("compendio_subtitle", lang), italic=True)
    for line in context["lines"]:
        word.paragraph(doc, line, size=10)
    word.paragraph(doc, i18n.text("compendio_intro", lang, n=context["actions"], actors=context["actors"]))
    word.paragraph(doc, context["generated"], size=9, color=word.GRIS)

    word.heading(doc, i18n.text("table_of_contents", lang), 1)
    for section in sections:
        word.paragraph(doc, f"{section_heading(section, lang)} — {count_phrase(section.count, lang)}",
                       style="List Bullet")

    for section in sections:
        word.page_break(doc)
        word.heading(doc, section_heading(section, lang), 1)
        word.paragraph(doc, count_phrase(section.count, lang), italic=True, color=word.GRIS)
        for level, groups in section.levels:
            word.heading(doc, i18n.text(f"level_heading_{level}", lang), 2)
            for group in groups:
                word.heading(doc, group.actor_name, 3)
                for entry in group.entries:
                    _write_entry(doc, entry, lang)
    doc.save(path)
    return path


def _write_entry(doc, entry: Entry, lang: str) -> None:
    word.bullet(doc, entry.text)
    if entry.also_under:
        word.paragraph(doc, i18n.text("compendio_also_under", lang, objectives=", ".join(entry.also_under)),
                       italic=True, size=9, color=word.GUINDA)
    word.labelled(doc, i18n.text("compendio_results", lang), entry.results)
    word.labelled(doc, i18n.text("compendio_challenges_text", lang), entry.challenges_text)
    word.labelled(doc, i18n.text("compendio_sdgs", lang), "; ".join(entry.sdgs))
    word.labelled(doc, i18n.text("compendio_challenges", lang), "; ".join(entry.challenges))
    source = word.labelled(doc, i18n.text("compendio_source", lang),
                           f"{entry.source} (id {entry.action_id}). "
                           + i18n.text("compendio_label_source", lang, source=entry.label_source))
    if source is not None:
        for piece in source.runs:
            piece.font.size = word.Pt(9)


# --- HTML -------------------------------------------------------------------------------------

def render_compendio_html(sections: list[ObjectiveSection], context: dict, lang: str) -> str:
    """The same sections as one self-contained HTML page (Jinja2, every value autoescaped)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.get_template("compendio.html")
    return template.render(sections=sections, context=context, lang=lang,
                           t=lambda key, **values: i18n.text(key, lang, **values),
                           heading=lambda section: section_heading(section, lang),
                           count=lambda n: count_phrase(n, lang))
