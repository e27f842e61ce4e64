"""The Informe Ejecutivo's count tables, as pandas DataFrames computed from the per-action frame.

Every table has an `action_ids` column: the ids (store `actions.id`) of the actions its row counts,
so each figure can be traced back. The one exception, `gcm_sdg_matrix`, is the wide view of
`gcm_sdg`, whose rows carry the ids of each non-empty cell.

Columns are stable English keys; `i18n.heading()` gives the Spanish or English heading. Names of
objectives, SDGs, categories and actors come in the report's language.
"""

import pandas as pd

from ..schemes import SCHEMES
from ..store import queries as q
from ..taxonomy import ACTOR_TYPES, load_actors, load_scheme
from . import i18n
from .frame import ReportActions, counting_level, load_report_actions

# The Informe prints the 6 most and the 5 least attended objectives.
MOST_OBJECTIVES = 6
FEWEST_OBJECTIVES = 5
LEVELS = ("federal", "state", "other")
# The state map's legend (Informe section VI): (key, lowest count, highest count, colour name).
STATE_BUCKETS = (("1-3", 1, 3, "red"), ("4-10", 4, 10, "yellow"), ("11+", 11, None, "green"))
NO_ACTIONS_BUCKET = ("0", 0, 0, "grey")
# Upper bounds of the confidence bins of model-assigned labels (top score of the action).
CONFIDENCE_BINS = ((0.5, "< 0.50"), (0.7, "0.50 – 0.69"), (0.9, "0.70 – 0.89"), (None, "≥ 0.90"))


def compute_tables(conn, *, lang: str = "es", period: str | None = None) -> dict[str, pd.DataFrame]:
    """Every count table of the report, keyed by table name (see `i18n.TABLES` for the order).

    :param conn: an open store connection.
    :param lang: "es" or "en": the language of names inside the tables.
    :param period: count only actions whose `period` equals this; None counts every action.
    """
    i18n.check_lang(lang)
    return tables_from_actions(load_report_actions(conn, lang=lang, period=period), lang=lang)


def tables_from_actions(actions: ReportActions, *, lang: str = "es") -> dict[str, pd.DataFrame]:
    frame = actions.frame
    gcm = load_scheme("gcm")
    tables = {"summary": summary_table(actions, lang)}
    tables["objectives"] = objectives_table(frame, gcm, lang)
    tables["objectives_most"] = ranked_objectives(tables["objectives"], most=True)
    tables["objectives_fewest"] = ranked_objectives(tables["objectives"], most=False)
    tables["participants"] = participants_table(frame, lang)
    tables["actor_types"] = actor_types_table(frame)
    tables["actors"] = actors_table(frame, lang)
    tables["states"] = states_table(frame, lang)
    tables["state_buckets"] = state_buckets_table(tables["states"], lang)
    tables["challenges_federal"] = challenges_table(frame, "federal", lang)
    tables["challenges_state"] = challenges_table(frame, "state", lang)
    tables["gcm_sdg"] = gcm_sdg_table(frame, gcm, lang)
    tables["gcm_sdg_matrix"] = gcm_sdg_matrix(tables["gcm_sdg"], gcm, lang)
    tables["review"] = review_table(frame)
    tables["confidence"] = confidence_table(frame)
    return tables


# --- helpers -------------------------------------------------------------------------------

def _ids(frame) -> list[int]:
    return sorted(int(i) for i in frame["action_id"])


def _rows(frame, mask):
    # An empty frame's columns are of dtype object; a boolean mask must stay a mask.
    return frame.loc[mask.astype(bool)]


def _with_label(frame, scheme: str, label: str):
    return _rows(frame, frame[scheme].map(lambda labels: label in labels))


def _or_none(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _label_name(taxonomy, label: str, lang: str) -> str:
    if label in taxonomy:
        return taxonomy.get(label).name(lang)
    return i18n.text("unknown_label", lang)


def _labels_in_use(frame, scheme: str, known) -> list[str]:
    """The scheme's labels in taxonomy order, then any label the store holds that it lacks."""
    used = {label for labels in frame[scheme] for label in labels}
    extra = sorted(used - set(known), key=q.label_order)
    return list(known) + extra


# --- 1. actions per objective, federal and state ---------------------------------------------

def objectives_table(frame, gcm, lang) -> pd.DataFrame:
    rows = []
    for label in _labels_in_use(frame, "gcm", gcm.ids):
        counted = _with_label(frame, "gcm", label)
        row = {"objective": label, "name": _label_name(gcm, label, lang), "total": len(counted)}
        for level in LEVELS:
            row[level] = int((counted["level"] == level).sum())
        row["action_ids"] = _ids(counted)
        rows.append(row)
    return pd.DataFrame(rows, columns=["objective", "name", "total", *LEVELS, "action_ids"])


# --- 2. most and fewest ----------------------------------------------------------------------

def ranked_objectives(objectives: pd.DataFrame, *, most: bool) -> pd.DataFrame:
    """The Informe's top-6 / bottom-5 tables, both printed from most to fewest actions.

    Ties: every objective tied with the last place is included (so a table may run longer), and
    equal counts are ordered by objective number. "Most" lists only objectives with actions;
    "fewest" includes objectives with none (the least attended of all), unless nothing at all
    has been labelled.
    """
    columns = ["objective", "name", "count", "action_ids"]
    table = objectives.rename(columns={"total": "count"})
    if table.empty or table["count"].sum() == 0:
        return pd.DataFrame(columns=columns)
    if most:
        table = table[table["count"] > 0]
    size = MOST_OBJECTIVES if most else FEWEST_OBJECTIVES
    order = sorted(table.index, key=lambda i: (-table.at[i, "count"] if most else table.at[i, "count"],
                                               q.label_order(table.at[i, "objective"])))
    if len(order) > size:
        cut = table.at[order[size - 1], "count"]
        order = [i for i in order if (table.at[i, "count"] >= cut if most else table.at[i, "count"] <= cut)]
    chosen = table.loc[order]
    chosen = chosen.loc[sorted(chosen.index, key=lambda i: (-chosen.at[i, "count"],
                                                            q.label_order(chosen.at[i, "objective"])))]
    return chosen[columns].reset_index(drop=True)


# --- 3. actors, actor types, participants -----------------------------------------------------

def actors_table(frame, lang) -> pd.DataFrame:
    columns = ["actor", "name", "actor_type", "level", "state", "actions", "action_ids"]
    rows = []
    keyed = frame.assign(actor_key=frame["actor"].fillna(""))
    for actor, group in keyed.groupby("actor_key", sort=False):
        first = group.iloc[0]
        name = first["actor_name"] if isinstance(first["actor_name"], str) else i18n.text("no_actor", lang)
        rows.append({"actor": actor, "name": name, "actor_type": _or_none(first["actor_type"]),
                     "level": first["level"], "state": _or_none(first["state"]),
                     "actions": len(group), "action_ids": _ids(group)})
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    table["_level"] = table["level"].map(LEVELS.index)
    table = table.sort_values(["_level", "actions", "actor"], ascending=[True, False, True])
    return table.drop(columns="_level").reset_index(drop=True)


def actor_types_table(frame) -> pd.DataFrame:
    columns = ["actor_type", "level", "actors", "actions", "action_ids"]
    types = list(ACTOR_TYPES)
    if frame["actor_type"].isna().any():
        types.append(None)
    rows = []
    for actor_type in types:
        group = frame[frame["actor_type"].isna()] if actor_type is None else \
            frame[frame["actor_type"] == actor_type]
        level = counting_level(actor_type)
        rows.append({"actor_type": actor_type,
                     "level": level, "actors": int(group["actor"].dropna().nunique()),
                     "actions": len(group), "action_ids": _ids(group)})
    return pd.DataFrame(rows, columns=columns)


def participants_table(frame, lang) -> pd.DataFrame:
    """Federal bodies, states and other actors that reported at least one action.

    A municipality is not a state: it shows under its state, which counts as participating.
    """
    actors = load_actors()
    columns = ["level", "participants", "names", "action_ids"]
    rows = []
    for level in LEVELS:
        group = frame[frame["level"] == level]
        if level == "state":
            keys = sorted(group["state"].dropna().unique())
            names = [actors.get(key).name_es if lang == "es" else actors.get(key).name_en for key in keys]
            names.sort()
        else:
            firsts = group.dropna(subset=["actor"]).drop_duplicates("actor")
            names = sorted(firsts["actor"])
        if level == "other" and group.empty:
            continue
        rows.append({"level": level, "participants": len(names), "names": ", ".join(names),
                     "action_ids": _ids(group)})
    return pd.DataFrame(rows, columns=columns)


# --- 4. states and their buckets ---------------------------------------------------------------

def bucket_of(count: int) -> tuple:
    for bucket in STATE_BUCKETS:
        key, low, high, colour = bucket
        if count >= low and (high is None or count <= high):
            return bucket
    return NO_ACTIONS_BUCKET


def states_table(frame, lang) -> pd.DataFrame:
    """Every state with at least one action (its municipalities' included), most actions first."""
    actors = load_actors()
    columns = ["state_id", "name", "actions", "bucket", "color", "action_ids"]
    rows = []
    for state_id, group in frame.dropna(subset=["state"]).groupby("state"):
        state = actors.get(state_id)
        key, _, _, colour = bucket_of(len(group))
        rows.append({"state_id": state_id, "name": state.name_es if lang == "es" else state.name_en,
                     "actions": len(group), "bucket": key, "color": colour, "action_ids": _ids(group)})
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["actions", "name"], ascending=[False, True]).reset_index(drop=True)


def state_buckets_table(states: pd.DataFrame, lang) -> pd.DataFrame:
    """The map's legend as a table: how many states fall in each bucket, and which."""
    actors = load_actors()
    columns = ["bucket", "bucket_name", "color", "states", "names", "action_ids"]
    rows = []
    for key, _, _, colour in STATE_BUCKETS:
        group = states[states["bucket"] == key].sort_values("name")
        rows.append({"bucket": key, "bucket_name": i18n.text(f"bucket_{key}", lang),
                     "color": colour, "states": len(group),
                     "names": ", ".join(group["name"]),
                     "action_ids": sorted(i for ids in group["action_ids"] for i in ids)})
    participating = set(states["state_id"])
    absent = sorted((s.name_es if lang == "es" else s.name_en) for s in actors.states()
                    if s.id not in participating)
    key, _, _, colour = NO_ACTIONS_BUCKET
    rows.append({"bucket": key, "bucket_name": i18n.text("bucket_0", lang),
                 "color": colour, "states": len(absent),
                 "names": ", ".join(absent), "action_ids": []})
    return pd.DataFrame(rows, columns=columns)


# --- 5. challenges per level -------------------------------------------------------------------

def challenges_table(frame, level: str, lang) -> pd.DataFrame:
    """Section V: per category, the actions of this level whose challenges fall in it.

    Rows: the categories the Informe's table for this level uses, plus any other category that
    has actions; most first, ties in the taxonomy's (annex) order.
    """
    taxonomy = load_scheme("challenge")
    columns = ["category", "name", "challenges", "action_ids"]
    at_level = frame[frame["level"] == level]
    rows = []
    for position, label in enumerate(_labels_in_use(at_level, "challenge", taxonomy.ids)):
        counted = _with_label(at_level, "challenge", label)
        in_table = label in taxonomy and level in taxonomy.get(label).tables
        if counted.empty and not in_table:
            continue
        rows.append({"category": label, "name": _label_name(taxonomy, label, lang),
                     "challenges": len(counted), "action_ids": _ids(counted), "_order": position})
    table = pd.DataFrame(rows, columns=[*columns, "_order"])
    table = table.sort_values(["challenges", "_order"], ascending=[False, True])
    return table.drop(columns="_order").reset_index(drop=True)


# --- 6. GCM x SDG ------------------------------------------------------------------------------

def gcm_sdg_table(frame, gcm, lang) -> pd.DataFrame:
    """Long form: one row per (objective, SDG) pair that some action carries both of."""
    sdg = load_scheme("sdg")
    columns = ["objective", "objective_name", "sdg", "sdg_name", "actions", "action_ids"]
    pairs = {}
    for row in frame.itertuples(index=False):
        for objective in row.gcm:
            for goal in row.sdg:
                pairs.setdefault((objective, goal), []).append(int(row.action_id))
    rows = [{"objective": o, "objective_name": _label_name(gcm, o, lang), "sdg": s,
             "sdg_name": _label_name(sdg, s, lang), "actions": len(ids), "action_ids": sorted(ids)}
            for (o, s), ids in sorted(pairs.items(), key=lambda kv: (q.label_order(kv[0][0]),
                                                                       q.label_order(kv[0][1])))]
    return pd.DataFrame(rows, columns=columns)


def gcm_sdg_matrix(pairs: pd.DataFrame, gcm, lang) -> pd.DataFrame:
    """Wide form: 23 objectives × 17 SDGs, zeros included. Traced by the `gcm_sdg` table."""
    sdg_ids = list(load_scheme("sdg").ids)
    objectives = list(gcm.ids) + sorted(set(pairs["objective"]) - set(gcm.ids), key=q.label_order)
    sdg_ids += sorted(set(pairs["sdg"]) - set(sdg_ids), key=q.label_order)
    counts = {(r.objective, r.sdg): int(r.actions) for r in pairs.itertuples(index=False)}
    rows = [{"objective": o, "name": _label_name(gcm, o, lang),
             **{s: counts.get((o, s), 0) for s in sdg_ids}} for o in objectives]
    return pd.DataFrame(rows, columns=["objective", "name", *sdg_ids])


# --- 7. review status and confidence -----------------------------------------------------------

def review_table(frame) -> pd.DataFrame:
    """Per scheme: actions whose labels a person decided, the submission stated, the model
    assigned, or nobody gave."""
    columns = ["scheme", "source", "actions", "model_version", "action_ids"]
    rows = []
    for scheme in SCHEMES:
        source = frame[f"{scheme}_source"]
        for key in ("human", "document", "model", "none"):
            group = frame[source.isna()] if key == "none" else frame[source == key]
            versions = sorted(group[f"{scheme}_model_version"].dropna().unique()) if key == "model" else []
            rows.append({"scheme": scheme, "source": key, "actions": len(group),
                         "model_version": ", ".join(versions), "action_ids": _ids(group)})
    return pd.DataFrame(rows, columns=columns)


def confidence_table(frame) -> pd.DataFrame:
    """Spread of the model's top score over the actions whose labels no person has decided."""
    columns = ["scheme", "confidence", "actions", "action_ids"]
    rows = []
    for scheme in SCHEMES:
        by_model = frame[frame[f"{scheme}_source"] == "model"]
        scores = by_model[f"{scheme}_top_score"]
        low = None
        for high, label in CONFIDENCE_BINS:
            inside = scores.notna()
            if low is not None:
                inside &= scores >= low
            if high is not None:
                inside &= scores < high
            rows.append({"scheme": scheme, "confidence": label,
                         "actions": int(inside.sum()), "action_ids": _ids(by_model[inside])})
            low = high
    return pd.DataFrame(rows, columns=columns)


# --- summary ------------------------------------------------------------------------------------

def summary_table(actions: ReportActions, lang) -> pd.DataFrame:
    frame = actions.frame
    federal = frame[frame["level"] == "federal"]
    state = frame[frame["level"] == "state"]
    rows = [
        ("actions", frame),
        ("federal", federal),
        ("state", state),
        ("municipal", _rows(frame, frame["municipal"])),
        ("other", frame[frame["level"] == "other"]),
    ]
    table = [{"metric": key, "name": i18n.text(f"m_{key}", lang), "value": len(group),
              "action_ids": _ids(group)} for key, group in rows]
    table.append({"metric": "federal_actors", "name": i18n.text("m_federal_actors", lang),
                  "value": int(federal["actor"].dropna().nunique()), "action_ids": _ids(federal)})
    with_state = state.dropna(subset=["state"])
    table.append({"metric": "states", "name": i18n.text("m_states", lang),
                  "value": int(with_state["state"].nunique()), "action_ids": _ids(with_state)})
    unlabelled = _rows(frame, frame["gcm"].map(len) == 0)
    table.append({"metric": "no_objective", "name": i18n.text("m_no_objective", lang),
                  "value": len(unlabelled), "action_ids": _ids(unlabelled)})
    if actions.period is not None:
        table.append({"metric": "excluded_period", "name": i18n.text("m_excluded_period", lang),
                      "value": len(actions.excluded_without_period),
                      "action_ids": sorted(actions.excluded_without_period)})
    return pd.DataFrame(table, columns=["metric", "name", "value", "action_ids"])
