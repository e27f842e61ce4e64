"""A store holding actions with the Informe Ejecutivo 2022's counts reproduces its printed figures.

The figures file (corpus/seed/informe_2022_figures.yaml) gives totals, the most/fewest attended
objectives and both challenge tables. The store is filled with synthetic actions labelled by
human decisions so that exactly those figures hold; what the Informe does not print (the other
12 objectives, the federal/state split per objective, per-state counts) is filled in here with
values consistent with its text (states attend no action under objectives 11-13; most states
have 1 to 3 actions).
"""

import pytest

from pipeline.corpus import load_figures
from pipeline.report import build_report, compute_tables
from pipeline.store import queries as q
from pipeline.taxonomy import load_actors

PERIOD = "2021-06/2022-06"
FEDERAL_ACTORS = ("BB CEAV CENSIDA CIJ CNB CNDH CNI CONACYT CONADIC CONAPO CONAPRED CONAVI CONAVIM "
                  "CONDUSEF CONSAR ECONOMIA FGR GN IFDP IMJUVE IMSS INALI INE INM INMUJERES INPI "
                  "RENAPO SRE SADER SALUD SCT SECTUR SEGOB SENADO SEP SEPOMEX SESNSP SFP SHCP "
                  "SESIPINNA SNDIF STPS TELECOMM UPMRIP").split()
# Actions per state, in the figures' (annex 3) order: 3 states with 11+, 6 with 4-10, 11 with 1-3.
STATE_COUNTS = (25, 18, 12, 10, 8, 7, 6, 5, 5, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1)
# State actions per objective (the Informe: states lead on 3 and 4, none under 11, 12 and 13).
STATE_PER_OBJECTIVE = {1: 6, 2: 2, 3: 20, 4: 18, 5: 4, 6: 4, 7: 12, 8: 3, 9: 1, 10: 4, 11: 0,
                       12: 0, 13: 0, 14: 3, 15: 15, 16: 4, 17: 5, 18: 3, 19: 2, 20: 4, 21: 3,
                       22: 2, 23: 3}


def objective_totals(figures) -> dict[int, int]:
    """The printed counts, and the other 12 objectives sharing the rest of the 346 actions."""
    totals = {row["objective"]: row["actions"]
              for row in figures["objectives_most"] + figures["objectives_fewest"]}
    others = [o for o in range(1, 24) if o not in totals]
    rest = figures["totals"]["actions"] - sum(totals.values())
    for n, objective in enumerate(others):
        totals[objective] = rest // len(others) + (1 if n < rest % len(others) else 0)
    return totals


def fill_informe_store(engine, figures) -> dict:
    """Write 346 actions with the Informe's counts; returns what was written, for the asserts."""
    totals = objective_totals(figures)
    state_slots = [state for state, n in zip(figures["states"], STATE_COUNTS) for _ in range(n)]
    # One of Quintana Roo's actions comes from its municipality of Othón P. Blanco.
    state_slots[state_slots.index("MX-ROO")] = "MX-ROO-OPB"
    actors = load_actors()
    records, objectives = [], []
    federal_n = 0
    for objective in range(1, 24):
        n_state = STATE_PER_OBJECTIVE[objective]
        for k in range(totals[objective]):
            if k < n_state:
                actor = state_slots.pop(0)
            else:
                actor = FEDERAL_ACTORS[federal_n % len(FEDERAL_ACTORS)]
                federal_n += 1
            records.append({"id": f"syn-{objective:02d}-{k:02d}", "actor": actor,
                            "actor_type": actors.get(actor).actor_type, "period": PERIOD,
                            "text": f"Acción sintética {k + 1} del objetivo {objective} ({actor})."})
            objectives.append(objective)
    assert not state_slots
    with engine.begin() as conn:
        ids = q.add_actions(conn, records)
        for action_id, objective in zip(ids, objectives):
            q.record_decision(conn, action_id=action_id, scheme="gcm", labels=[str(objective)],
                              reviewer="fixture", source="cli")
            q.record_decision(conn, action_id=action_id, scheme="sdg",
                              labels=["10.7", str(objective % 17 + 1)], reviewer="fixture", source="cli")
        federal = [i for i, r in zip(ids, records) if not r["actor"].startswith("MX-")]
        state = [i for i, r in zip(ids, records) if r["actor"].startswith("MX-")]
        challenges = {}
        for level_ids, table in ((federal, "challenges_federal"), (state, "challenges_state")):
            for k, row in enumerate(figures[table]):
                # Spread each category from its own offset: some actions get several categories.
                start = (k * 37) % len(level_ids)
                for j in range(row["count"]):
                    action_id = level_ids[(start + j) % len(level_ids)]
                    challenges.setdefault(action_id, []).append(row["category"])
        for action_id, labels in challenges.items():
            q.record_decision(conn, action_id=action_id, scheme="challenge", labels=labels,
                              reviewer="fixture", source="cli")
    return {"ids": ids, "records": records, "challenges": challenges}


@pytest.fixture(scope="module")
def informe(tmp_path_factory):
    from pipeline.store import connect

    engine = connect(str(tmp_path_factory.mktemp("informe") / "pmm.sqlite"))
    figures = load_figures()
    written = fill_informe_store(engine, figures)
    with engine.connect() as conn:
        tables = compute_tables(conn)
    yield {"engine": engine, "figures": figures, "tables": tables, **written}
    engine.dispose()


def _pairs(table, key, count):
    return [(str(k), int(n)) for k, n in zip(table[key], table[count])]


def test_report_informe_totals(informe):
    figures, summary = informe["figures"]["totals"], informe["tables"]["summary"]
    values = dict(zip(summary["metric"], summary["value"]))
    assert values["actions"] == figures["actions"] == 346
    assert values["federal"] == figures["federal"] == 228
    assert values["state"] == figures["state"] == 118
    assert values["federal_actors"] == figures["federal_actors"] == 44
    assert values["states"] == figures["states"] == 20
    assert values["municipal"] == 1 and values["other"] == 0 and values["no_objective"] == 0


def test_report_informe_objectives_most_and_fewest(informe):
    figures, tables = informe["figures"], informe["tables"]
    most = sorted(((str(r["objective"]), r["actions"]) for r in figures["objectives_most"]),
                  key=lambda p: -p[1])
    # Same objectives and counts; the Informe prints 1 (23) before 17 (24), we sort by count.
    assert _pairs(tables["objectives_most"], "objective", "count") == most
    fewest = [(str(r["objective"]), r["actions"]) for r in figures["objectives_fewest"]]
    # The printed order is most-first with ties by number: exactly ours.
    assert _pairs(tables["objectives_fewest"], "objective", "count") == fewest


def test_report_informe_objective_totals_split_by_level(informe):
    objectives = informe["tables"]["objectives"].set_index("objective")
    assert objectives["total"].sum() == 346  # one objective per synthetic action
    assert objectives["federal"].sum() == 228 and objectives["state"].sum() == 118
    assert (objectives.loc[["11", "12", "13"], "state"] == 0).all()
    assert objectives.loc["7", "total"] == 46


@pytest.mark.parametrize("table", ["challenges_federal", "challenges_state"])
def test_report_informe_challenges(informe, table):
    expected = {row["category"]: row["count"] for row in informe["figures"][table]}
    computed = informe["tables"][table]
    nonzero = {c: int(n) for c, n in zip(computed["category"], computed["challenges"]) if n}
    assert nonzero == expected
    # Most first, as the Informe prints them.
    assert list(computed["challenges"]) == sorted(computed["challenges"], reverse=True)


def test_report_informe_states_and_buckets(informe):
    tables, figures = informe["tables"], informe["figures"]
    assert set(tables["states"]["state_id"]) == set(figures["states"])
    assert tables["states"]["actions"].sum() == 118
    quintana_roo = tables["states"].set_index("state_id").loc["MX-ROO"]
    assert quintana_roo["actions"] == STATE_COUNTS[figures["states"].index("MX-ROO")]
    buckets = dict(zip(tables["state_buckets"]["bucket"], tables["state_buckets"]["states"]))
    assert buckets == {"11+": 3, "4-10": 6, "1-3": 11, "0": 12}
    participants = tables["participants"].set_index("level")
    assert participants.loc["state", "participants"] == 20
    assert participants.loc["federal", "participants"] == 44


def test_report_informe_every_count_traces_to_its_actions(informe):
    stored = set(informe["ids"])
    count_column = {"summary": "value", "objectives": "total", "objectives_most": "count",
                    "objectives_fewest": "count", "actor_types": "actions", "actors": "actions",
                    "states": "actions", "challenges_federal": "challenges",
                    "challenges_state": "challenges", "gcm_sdg": "actions", "review": "actions",
                    "confidence": "actions"}
    for name, column in count_column.items():
        table = informe["tables"][name]
        for _, row in table.iterrows():
            ids = row["action_ids"]
            assert set(ids) <= stored, name
            if not (name == "summary" and row["metric"] in ("federal_actors", "states")):
                assert len(ids) == len(set(ids)) == row[column], (name, row.to_dict())
    # The matrix is traced by the pairs table, cell by cell.
    matrix = informe["tables"]["gcm_sdg_matrix"].set_index("objective")
    for _, pair in informe["tables"]["gcm_sdg"].iterrows():
        assert matrix.loc[pair["objective"], pair["sdg"]] == pair["actions"]
    assert matrix.drop(columns="name").to_numpy().sum() == informe["tables"]["gcm_sdg"]["actions"].sum()


def test_report_informe_period_filter(informe):
    with informe["engine"].connect() as conn:
        same = compute_tables(conn, period=PERIOD)
        other = compute_tables(conn, period="2022-06/2023-06")
    assert same["summary"].set_index("metric").loc["actions", "value"] == 346
    assert other["summary"].set_index("metric").loc["actions", "value"] == 0


def test_report_informe_builds_files(informe, tmp_path):
    result = build_report(informe["engine"], tmp_path / "out")
    assert result.tables["summary"].set_index("metric").loc["actions", "value"] == 346
    page = result.paths["html"].read_text(encoding="utf-8")
    assert "Objetivos con más programas y/o acciones" in page
    assert "Objetivos con menos programas y/o acciones" in page
