"""`pmm serve`: the review page on a local web server."""

import secrets

import click

from ..config import MODELS_DIR
from ..errors import PmmError
from ..store import connect
from .common import reports_errors


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback requires a token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--token", default=None, envvar="PMM_TOKEN",
              help="Access token every request must carry (generated and printed when --host is "
                   "not loopback and none is given).")
@click.option("--models-dir", type=click.Path(file_okay=False), default=str(MODELS_DIR),
              show_default=True, hidden=True)
@click.pass_context
@reports_errors
def command(ctx, host, port, token, models_dir):
    """Start the review page: reviewers work through the queue in a browser.

    Example: pmm serve            (then open http://127.0.0.1:8765/)
    """
    from werkzeug.serving import make_server

    from ..review.server import RedactingRequestHandler, create_app, is_loopback

    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
    engine = connect(ctx.obj["db_url"])
    app = create_app(engine, token=token, models_dir=models_dir)
    try:
        server = make_server(host, port, app, threaded=True, request_handler=RedactingRequestHandler)
    except OSError as exc:
        raise PmmError(f"{host}:{port}: cannot listen ({exc.strerror or exc})") from None
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{server.server_port}/"
    if token:
        url += f"?token={token}"
    click.echo(f"pmm review page: {url}")
    if token and not is_loopback(host):
        click.echo("Share this address (with its token) only with the reviewers.")
    click.echo("Ctrl+C stops the server.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
