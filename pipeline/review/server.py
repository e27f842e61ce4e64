"""The review page: a small Flask app over the store.

A reviewer enters a name and works through the queue one action at a time. The JSON API lives
under /api/; the page is plain HTML + JS served from this package (nothing loads from the
internet). Every decision is its own INSERT, so several reviewers at once never lose one; an
in-memory lease keeps two of them from being handed the same action for a few minutes.

Safety: PDF text is untrusted, so the page builds every text with DOM text nodes and the
Content-Security-Policy forbids inline script. POSTs need the custom header X-PMM-Request (a
cross-site form or simple request cannot send it). Without a token the app answers only to a
loopback Host (no DNS rebinding); with a token, every request must carry it.
"""

import hmac
import ipaddress
import re
import secrets
import threading
from collections import OrderedDict, deque
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, g, jsonify, redirect, render_template, request
from werkzeug.routing import BaseConverter, ValidationError
from werkzeug.serving import WSGIRequestHandler

from ..config import MODELS_DIR
from ..schemes import GCM, SCHEMES
from ..store import queries as q
from . import page_text
from .decisions import UnknownLabel, load_catalogue, record
from .leases import DEFAULT_LEASE_SECONDS, LeaseBook
from .queue import STRATEGIES, current_model, queue_progress, review_queue
from .region import RegionUnavailable, render_region_png

CSRF_HEADER = "X-PMM-Request"
TOKEN_HEADER = "X-PMM-Token"
TOKEN_COOKIE = "pmm_token"
# Who made which decision, on the server's side: an undo needs the session that made it.
SESSION_COOKIE = "pmm_session"
MAX_SESSIONS = 10_000
MAX_UNDOABLE = 1_000  # per session, the most recent decisions
# Store ids are positive and fit a signed 64-bit integer (SQLite and PostgreSQL alike).
MAX_ID = 2 ** 63 - 1
# How many queue items to try to lease before giving up: enough for a team of reviewers.
CLAIM_WINDOW = 25
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                           "form-action 'self'; frame-ancestors 'none'")


class ApiError(Exception):
    def __init__(self, status, code, value=""):
        super().__init__(code)
        self.status, self.code, self.value = status, code, value


def create_app(engine, *, token=None, models_dir=MODELS_DIR, lease_seconds=DEFAULT_LEASE_SECONDS,
               default_strategy="lowest") -> Flask:
    """The review web app over the store `engine`.

    :param token: if given, every request must carry it (cookie set by visiting `/?token=...`,
        or the X-PMM-Token header); required when serving beyond loopback.
    :param models_dir: where trained models live: the "disagreement" order compares the
        variants of each scheme's current model there.
    :param lease_seconds: how long an action handed to a reviewer stays out of others' queues.
    """
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.url_map.converters["id"] = IdConverter
    app.config.update(PMM_ENGINE=engine, PMM_TOKEN=token, PMM_MODELS_DIR=Path(models_dir),
                      MAX_CONTENT_LENGTH=64 * 1024)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    leases = LeaseBook(seconds=lease_seconds)
    sessions = SessionDecisions()
    catalogues = {}
    variant_models = {}
    models_lock = threading.Lock()

    def variant_model(scheme):
        """The current model of `scheme`, for the disagreement order (None: compare versions)."""
        with models_lock:
            if scheme not in variant_models:
                model = current_model(scheme, models_dir)
                variant_models[scheme] = None if model is None else MemoVariantScores(model)
            return variant_models[scheme]

    def catalogue(scheme):
        if scheme not in catalogues:
            catalogues[scheme] = load_catalogue(scheme)
        return catalogues[scheme]

    # --- guards ---------------------------------------------------------------------------

    @app.before_request
    def guard():
        g.session_id = request.cookies.get(SESSION_COOKIE) or ""
        if token is None:
            if not is_loopback(_hostname(request.host)):
                raise ApiError(403, "host")
        else:
            given = (request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE)
                     or request.args.get("token") or "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                raise ApiError(401, "token")
            if "token" in request.args and request.method == "GET" and not request.path.startswith("/api/"):
                # Trade the token in the URL for a cookie, and drop it from the address bar.
                args = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                response = redirect(request.path + (f"?{urlencode(args)}" if args else ""))
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
                return response
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if request.headers.get(CSRF_HEADER) != "1":
                raise ApiError(403, "csrf")
        return None

    @app.after_request
    def security_headers(response):
        if g.get("new_session_id"):
            response.set_cookie(SESSION_COOKIE, g.new_session_id, httponly=True, samesite="Strict")
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(ApiError)
    def api_error(exc):
        message = page_text.ERRORS[_lang()][exc.code].format(value=exc.value)
        return jsonify(error=message, code=exc.code), exc.status

    @app.errorhandler(404)
    def not_found(_exc):
        return jsonify(error=page_text.ERRORS[_lang()]["not_found"], code="not_found"), 404

    @app.errorhandler(413)
    def too_large(_exc):
        return jsonify(error=page_text.ERRORS[_lang()]["bad_request"].format(value="413"),
                       code="bad_request"), 413

    # --- the page -------------------------------------------------------------------------

    @app.get("/")
    def page():
        lang = _lang()
        with engine.connect() as conn:
            available = _schemes_with_predictions(conn)
        config = {
            "lang": lang,
            "ui": page_text.UI[lang],
            "schemes": [{"id": s, "name": page_text.SCHEME_NAMES[lang][s]} for s in available],
            "strategies": [{"id": s, "name": page_text.STRATEGY_NAMES[lang][s]} for s in STRATEGIES],
            "default_strategy": default_strategy,
            "csrf_header": CSRF_HEADER,
        }
        return render_template("review.html", config=config, lang=lang, ui=page_text.UI[lang])

    # --- JSON API -------------------------------------------------------------------------

    @app.get("/api/labels")
    def labels():
        scheme = _scheme(request.args.get("scheme"))
        lang = _lang()
        return jsonify(labels=[{"id": label.id, "name": label.name(lang)}
                               for label in catalogue(scheme).labels])

    @app.get("/api/next")
    def next_action():
        scheme = _scheme(request.args.get("scheme"))
        reviewer = _reviewer(request.args.get("reviewer"))
        strategy = request.args.get("strategy") or default_strategy
        if strategy not in STRATEGIES:
            raise ApiError(400, "strategy", strategy)
        skipped = _ids(request.args.get("exclude", ""))
        actor = request.args.get("actor") or None
        with engine.connect() as conn:
            item = None
            held = leases.held_by_others(scheme, reviewer)
            model = variant_model(scheme) if strategy == "disagreement" else None
            candidates = review_queue(conn, scheme=scheme, strategy=strategy, actor=actor,
                                      exclude=skipped | held, limit=CLAIM_WINDOW, model=model)
            for candidate in candidates:
                if leases.claim(candidate["action_id"], scheme, reviewer):
                    item = candidate
                    break
            progress = queue_progress(conn, scheme=scheme, actor=actor)
            if item is not None:
                item = _for_page(conn, item, catalogue(scheme), _lang())
        return jsonify(item=item, progress=progress)

    @app.get("/api/actions/<id:action_id>")
    def show_action(action_id):
        """One action as the page shows it (after an undo, the action comes back)."""
        scheme = _scheme(request.args.get("scheme"))
        reviewer = _reviewer(request.args.get("reviewer"))
        with engine.connect() as conn:
            found = review_queue(conn, scheme=scheme, include_decided=True, action_ids=[action_id])
            if not found:
                raise ApiError(404, "action", action_id)
            leases.claim(action_id, scheme, reviewer)
            return jsonify(item=_for_page(conn, found[0], catalogue(scheme), _lang()),
                           progress=queue_progress(conn, scheme=scheme))

    @app.post("/api/decisions")
    def decide():
        body = _json_body()
        scheme = _scheme(body.get("scheme"))
        reviewer = _reviewer(body.get("reviewer"))
        action_id = _int(body.get("action_id"), "action_id")
        labels = body.get("labels")
        if not isinstance(labels, list) or not all(isinstance(l, (str, int)) for l in labels):
            raise ApiError(400, "labels")
        model_version = body.get("model_version")
        if model_version is not None and not isinstance(model_version, str):
            raise ApiError(400, "bad_request", "model_version")
        model_version = model_version or None
        try:
            with engine.begin() as conn:
                _action(conn, action_id)  # an unknown action: 404 before anything is recorded
                if model_version is not None and not q.has_prediction(
                        conn, action_id=action_id, scheme=scheme, model_version=model_version):
                    raise ApiError(400, "model_version", model_version[:80])
                decision_id = record(conn, action_id=action_id, scheme=scheme, labels=labels,
                                     reviewer=reviewer, source="page", model_version=model_version,
                                     catalogue=catalogue(scheme))
        except UnknownLabel as exc:
            raise ApiError(400, "label", exc.label) from None
        leases.release(action_id, scheme, reviewer)
        sessions.add(_session_id(), decision_id)
        with engine.connect() as conn:
            progress = queue_progress(conn, scheme=scheme)
        return jsonify(decision_id=decision_id, action_id=action_id, scheme=scheme,
                       progress=progress), 201

    @app.post("/api/decisions/<id:decision_id>/undo")
    def undo(decision_id):
        body = _json_body()
        reviewer = _reviewer(body.get("reviewer"))
        with engine.begin() as conn:
            row = q.get_decision(conn, decision_id)
            if row is None:
                raise ApiError(404, "decision", decision_id)
            # The name the client sends is not proof: the decision must have been made in this
            # browser session, which the server alone keeps.
            if row["reviewer"] != reviewer or not sessions.holds(g.session_id, decision_id):
                raise ApiError(403, "not_yours")
            q.undo_decision(conn, decision_id)
        with engine.connect() as conn:
            progress = queue_progress(conn, scheme=row["scheme"])
        return jsonify(decision_id=decision_id, action_id=row["action_id"], scheme=row["scheme"],
                       progress=progress)

    @app.post("/api/release")
    def release():
        """A skipped action goes back to the common queue at once."""
        body = _json_body()
        leases.release(_int(body.get("action_id"), "action_id"), _scheme(body.get("scheme")),
                       _reviewer(body.get("reviewer")))
        return jsonify(ok=True)

    @app.get("/actions/<id:action_id>/region.png")
    def region(action_id):
        with engine.connect() as conn:
            action = _action(conn, action_id)
        try:
            png = render_region_png(action["source_path"], pages=action["pages"], bbox=action["bbox"])
        except RegionUnavailable:
            raise ApiError(404, "region") from None
        response = Response(png, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    # The duplicate, carried-forward and single-action views. Imported here, not at the top: they
    # use this module's input checks, so this module must be loaded first.
    from . import second_year_routes

    second_year_routes.register(app, engine, catalogue=catalogue)
    return app


class MemoVariantScores:
    """A model's per-variant scores, remembered per text: the review server asks for the same
    actions' scores on every request, and they only change with the model."""

    def __init__(self, model):
        self.model = model
        self.labels = model.labels
        self._memo = {}
        self._lock = threading.Lock()

    def variant_scores(self, texts):
        import numpy as np

        texts = list(texts)
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
            if missing:
                scores = self.model.variant_scores(missing)
                for row, text in enumerate(missing):
                    self._memo[text] = {name: matrix[row] for name, matrix in scores.items()}
            names = list(self._memo[texts[0]]) if texts else []
            return {name: np.vstack([self._memo[t][name] for t in texts]) for name in names}


# --- helpers ----------------------------------------------------------------------------------

class IdConverter(BaseConverter):
    """A store id in a URL: digits only, 1 to MAX_ID; anything else is a 404, never a 500."""

    regex = r"[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value):
        return str(int(value))


class SessionDecisions:
    """Which decisions each browser session made (kept in memory, bounded): an undo is
    authorised by the session cookie the server issued, not by a name the client sends."""

    def __init__(self):
        self._by_session = OrderedDict()
        self._lock = threading.Lock()

    def add(self, session_id, decision_id) -> None:
        with self._lock:
            made = self._by_session.setdefault(session_id, deque(maxlen=MAX_UNDOABLE))
            made.append(decision_id)
            self._by_session.move_to_end(session_id)
            while len(self._by_session) > MAX_SESSIONS:
                self._by_session.popitem(last=False)

    def holds(self, session_id, decision_id) -> bool:
        with self._lock:
            return bool(session_id) and decision_id in self._by_session.get(session_id, ())


def _session_id() -> str:
    """This request's session id: the cookie's, or a new one the response will set."""
    if g.get("session_id"):
        return g.session_id
    if not g.get("new_session_id"):
        g.new_session_id = secrets.token_urlsafe(24)
    return g.new_session_id


def is_loopback(host: str) -> bool:
    """localhost, or any loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s]*")


class RedactingRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler, with any ?token= in the access log replaced by "***"."""

    def log(self, type, message, *args):
        args = tuple(_TOKEN_IN_URL.sub(r"\1***", a) if isinstance(a, str) else a for a in args)
        super().log(type, _TOKEN_IN_URL.sub(r"\1***", message), *args)


def _hostname(host: str) -> str:
    """"127.0.0.1:8765" -> "127.0.0.1"; "[::1]:8765" -> "::1"."""
    host = host or ""
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _lang():
    return "en" if request.args.get("lang") == "en" or request.headers.get("X-PMM-Lang") == "en" else "es"


def _scheme(value):
    if value not in SCHEMES:
        raise ApiError(400, "scheme", value or "")
    return value


def _reviewer(value):
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        raise ApiError(400, "reviewer")
    return value[:120]


def _int(value, name):
    """A store id from JSON: an integer from 1 to MAX_ID (not true, not 2.9, not "3")."""
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise ApiError(400, "id", name)
    return value


def _ids(text) -> set[int]:
    """The ids of a comma-separated list; parts that are not ids in range are ignored."""
    parts = (part.strip() for part in str(text).split(","))
    return {int(part) for part in parts if part.isdigit() and len(part) <= 19 and 1 <= int(part) <= MAX_ID}


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "json")
    return body


def _action(conn, action_id) -> dict:
    """The stored action `action_id`; a 404 when there is none."""
    found = q.load_actions(conn, ids=[action_id])
    if not found:
        raise ApiError(404, "action", action_id)
    return found[0]


def _schemes_with_predictions(conn) -> list[str]:
    present = q.schemes_with_predictions(conn)
    return [s for s in SCHEMES if s in present] or [GCM]


def _for_page(conn, item, catalogue, lang) -> dict:
    """What the page needs of a queue item: names for the suggestions, nothing it does not."""
    names = {label.id: label.name(lang) for label in catalogue.labels}
    action = q.load_actions(conn, ids=[item["action_id"]])[0]
    source = action.get("source_path")
    has_region = bool(source) and Path(source).is_file() and bool(action["pages"] or action["bbox"])
    decided = q.current_decisions(conn, scheme=catalogue.scheme, action_ids=[item["action_id"]])
    current = next(iter(decided.values()), None)
    return {
        "action_id": item["action_id"],
        "external_id": item.get("external_id"),
        "text": item["text"],
        "actor": item.get("actor"),
        "file_name": item.get("file_name"),
        "pages": item.get("pages") or [],
        "model_version": item["model_version"],
        "suggestions": [{"label": s["label"], "name": names.get(s["label"], ""), "score": s["score"]}
                        for s in item["suggestions"]],
        "assigned": item["assigned"],
        "evidence": item["evidence"],
        "top_score": item["top_score"],
        "has_region": has_region,
        "region_url": f"/actions/{item['action_id']}/region.png" if has_region else None,
        "decision": None if current is None else {"labels": current["labels"],
                                                  "reviewer": current["reviewer"]},
        "period": action.get("period"),
        "carried": _carried_for_page(item.get("carried")),
    }


def _carried_for_page(proposal):
    """Last period's decided labels for a continuing programme, and where to read its text."""
    if not proposal:
        return None
    return {"labels": proposal["labels"], "previous_id": proposal["previous_id"],
            "previous_period": proposal["previous_period"],
            "url": f"/actions/{proposal['previous_id']}"}
