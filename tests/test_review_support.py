"""A small review store shared by the review tests: real actions, predictions inserted directly
(no model), so the tests pin the review code and not a classifier."""

from pipeline.store import queries as q

GCM_IDS = [str(i) for i in range(1, 24)]
MODEL = "gcm-test-v1"

# (external id, actor, text, {label: score} for the labels that stand out, assigned, evidence)
ACTIONS = [
    ("t-visas", "INM",
     # A line break inside the sentence: evidence is stored whitespace-collapsed.
     "El Instituto Nacional de Migración otorgó 12,000 tarjetas de visitante por razones\n"
     "humanitarias.  Con ello las personas migrantes pudieron regularizar su situación.",
     {"5": 0.48, "7": 0.44, "4": 0.20}, [], {"5": {"sentences": ["El Instituto Nacional de Migración "
                                                                  "otorgó 12,000 tarjetas de visitante "
                                                                  "por razones humanitarias."],
                                                   "terms": ["tarjetas de visitante"]}}),
    ("t-salud", "SALUD",
     "La Secretaría de Salud vacunó contra COVID-19 a personas en tránsito en albergues de la "
     "frontera sur.",
     {"15": 0.91, "7": 0.30}, ["15"], {"15": {"sentences": [], "terms": ["vacunó", "albergues"]}}),
    ("t-xss", "MX-CHP", "<img src=x onerror=alert(1)>", {"23": 0.35, "3": 0.33}, [], {}),
    ("t-remesas", "CONDUSEF",
     "La CONDUSEF difundió información sobre el envío de remesas a bajo costo.",
     {"20": 0.62, "3": 0.58}, ["20"], {"20": {"sentences": ["La CONDUSEF difundió información sobre "
                                                             "el envío de remesas a bajo costo."],
                                               "terms": ["remesas"]}}),
    ("t-datos", "UPMRIP",
     "La Unidad de Política Migratoria publicó boletines estadísticos mensuales.",
     {"1": 0.88, "3": 0.20}, ["1"], {}),
]


def full_scores(standouts: dict, *, floor=0.02) -> list[dict]:
    """Every GCM label with a score: the standouts as given, the rest small and distinct."""
    scores = {label: floor - int(label) * 0.0005 for label in GCM_IDS}
    scores.update(standouts)
    return [{"label": label, "score": score} for label, score in scores.items()]


def write_actions_pdf(path):
    """A one-page PDF with each fixture action's text on its own line (for the region image)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=A4)
    for n, (_, _, text, *_rest) in enumerate(ACTIONS):
        page.drawString(72, A4[1] - (125 + 60 * n), text[:80])
    page.save()
    return path


def make_review_store(engine, *, model=MODEL, source_path=None):
    """Store ACTIONS with one GCM prediction each; returns {external id: action id}."""
    with engine.begin() as conn:
        submission_id = None
        if source_path is not None:
            submission_id = q.add_submission(conn, file_name=source_path.name, sha256="0" * 64,
                                             path=source_path, pages=1)
        records = [{"id": ext, "text": text, "actor": actor, "pages": [1],
                    "bbox": {"first": {"page": 1, "x0": 72, "top": 100 + 60 * n, "x1": 520,
                                       "bottom": 140 + 60 * n},
                             "last": {"page": 1, "x0": 72, "top": 100 + 60 * n, "x1": 520,
                                      "bottom": 140 + 60 * n}}}
                   for n, (ext, actor, text, *_rest) in enumerate(ACTIONS)]
        ids = q.add_actions(conn, records, submission_id=submission_id)
        for action_id, (_, _, _, standouts, assigned, evidence) in zip(ids, ACTIONS):
            q.add_predictions(conn, action_id=action_id, scheme="gcm", model_version=model,
                              labels=full_scores(standouts), assigned=assigned, evidence=evidence)
    return {ext: action_id for (ext, *_), action_id in zip(ACTIONS, ids)}


def test_review_store_holds_every_action_with_a_prediction(db):
    ids = make_review_store(db)
    with db.connect() as conn:
        predicted = q.latest_predictions(conn, scheme="gcm")
    assert set(predicted) == set(ids.values())
    assert predicted[ids["t-salud"]]["labels"][0] == {"label": "15", "score": 0.91}
    assert len(predicted[ids["t-salud"]]["labels"]) == 23
