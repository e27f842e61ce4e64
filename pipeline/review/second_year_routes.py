"""The review page's second-year views: possible duplicates side by side, carried-forward labels
accepted in bulk, and one action's own page (the "como en 2022" link).

Registered on the review app by `create_app`; the same guards apply (token or loopback host,
CSRF header on POSTs), and every text reaches the page as data, never as HTML.
"""

from flask import jsonify, render_template, request

from ..schemes import SCHEMES
from ..store import periods as store_periods
from ..store import queries as q
from . import second_year_text
from .by_period import listed_periods
from .continuing import accept_carried, carried_actions
from .duplicates import VERDICTS, duplicate_pairs, resolve_duplicate
# `create_app` imports this module once it is defined, so the server's checks are there to share.
from .server import CSRF_HEADER, ApiError, _action, _int, _json_body, _lang, _reviewer, _scheme


def register(app, engine, *, catalogue):
    """Add the routes to `app`; `catalogue(scheme)` is the app's label catalogue."""

    def periods():
        with engine.connect() as conn:
            return listed_periods(conn)[::-1]  # newest first

    def page_config(view):
        ui = second_year_text.UI[_lang()]
        return {"lang": _lang(), "ui": ui, "view": view, "periods": periods(),
                "schemes": list(SCHEMES), "csrf_header": CSRF_HEADER}

    @app.get("/duplicates")
    def duplicates_page():
        config = page_config("duplicates")
        return render_template("second_year.html", config=config, lang=config["lang"], ui=config["ui"])

    @app.get("/carried")
    def carried_page():
        config = page_config("carried")
        return render_template("second_year.html", config=config, lang=config["lang"], ui=config["ui"])

    @app.get("/api/duplicates")
    def list_duplicates():
        period = request.args.get("period") or None
        with engine.connect() as conn:
            pairs = duplicate_pairs(conn, period=period, any_period=period is None, status="open")
        return jsonify(pairs=[{"action_id": p["action_id"], "other_id": p["other_id"],
                               "reason": p["reason"], "score": p["score"],
                               "left": _side(p["left"]), "right": _side(p["right"])} for p in pairs])

    @app.post("/api/duplicates/resolve")
    def resolve():
        body = _json_body()
        reviewer = _reviewer(body.get("reviewer"))
        verdict = body.get("verdict")
        if verdict not in VERDICTS:
            raise ApiError(400, "bad_request", "verdict")
        action_id = _int(body.get("action_id"), "action_id")
        other_id = _int(body.get("other_id"), "other_id")
        with engine.begin() as conn:
            if len(q.load_actions(conn, ids=[action_id, other_id])) != 2 or action_id == other_id:
                raise ApiError(404, "action", f"{action_id}/{other_id}")
            resolution_id = resolve_duplicate(conn, action_id=action_id, other_id=other_id,
                                              verdict=verdict, reviewer=reviewer, source="page")
        return jsonify(resolution_id=resolution_id, verdict=verdict), 201

    @app.get("/api/carried")
    def list_carried():
        scheme = _scheme(request.args.get("scheme"))
        period = request.args.get("period") or None
        names = {label.id: label.name(_lang()) for label in catalogue(scheme).labels}
        with engine.connect() as conn:
            ids = store_periods.action_ids_of_period(conn, period) if period else None
            pending = carried_actions(conn, scheme=scheme, action_ids=ids)
        items = []
        for action, proposal in pending:
            items.append({"action_id": action["id"], "actor": action["actor"], "period": action["period"],
                          "text": action["text"], "previous_id": proposal["previous_id"],
                          "previous_period": proposal["previous_period"],
                          "previous_url": f"/actions/{proposal['previous_id']}",
                          "decided_by": proposal["reviewer"],
                          "labels": [{"label": l, "name": names.get(l, "")} for l in proposal["labels"]]})
        return jsonify(items=items)

    @app.post("/api/carried/accept")
    def accept():
        body = _json_body()
        scheme = _scheme(body.get("scheme"))
        reviewer = _reviewer(body.get("reviewer"))
        ids = body.get("action_ids")
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "bad_request", "action_ids")
        ids = [_int(i, "action_ids") for i in ids]
        with engine.begin() as conn:
            decision_ids = accept_carried(conn, scheme=scheme, reviewer=reviewer, action_ids=ids)
        return jsonify(decision_ids=decision_ids, accepted=len(decision_ids)), 201

    @app.get("/actions/<id:action_id>")
    def action_page(action_id):
        with engine.connect() as conn:
            action = _action(conn, action_id)
            decided = q.current_decisions(conn, action_ids=[action_id])
        ui = second_year_text.UI[_lang()]
        decisions = [{"scheme": scheme, "labels": ", ".join(d["labels"]) or "—",
                      "reviewer": d["reviewer"], "decided_at": d["decided_at"].strftime("%Y-%m-%d %H:%M")}
                     for (_, scheme), d in sorted(decided.items())]
        return render_template("action.html", action=action, decisions=decisions, ui=ui, lang=_lang())


def _side(action) -> dict:
    return {"id": action["id"], "actor": action["actor"], "period": action["period"],
            "file_name": action["file_name"], "pages": action["pages"] or [], "text": action["text"]}
