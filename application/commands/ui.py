"""``conclusio ui``: serve the Streamlit app on the configured store, on localhost unless told otherwise.

Sign-in is Streamlit's OIDC login, configured in a ``secrets.toml`` with an ``[auth]`` section
(``--secrets FILE``, else Streamlit's own places: ``.streamlit/secrets.toml`` here or in your home).
Without it the UI has no login: whoever reaches it acts as the user who started it, which is said
when it listens on more than this machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from application.access import login_name
from application.commands._common import CliError, settings_from

APP = Path(__file__).resolve().parent.parent.parent / "ui" / "app.py"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ui = subparsers.add_parser(
        "ui",
        parents=[common],
        help="start the web UI (search, prior wording, obligations, documents)",
        description="Start the Streamlit UI on the store, headless, and print its URL. Ctrl-C stops it.",
    )
    ui.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    ui.add_argument("--address", default="localhost",
                    help="address to listen on (default localhost; for a team, keep it and put a reverse proxy with "
                    "TLS in front, see the README)")
    ui.add_argument("--secrets", metavar="FILE",
                    help="Streamlit secrets.toml with an [auth] section for OIDC sign-in (default: Streamlit's "
                    ".streamlit/secrets.toml)")
    ui.set_defaults(func=run_ui)


def streamlit_command(port: int, address: str, secrets: Path | None = None) -> list[str]:
    """The command line that serves the app."""
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
               "--server.port", str(port), "--server.address", address, "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "minimal"]
    return command + (["--secrets.files", str(secrets)] if secrets else [])


def login_configured(secrets: Path | None) -> bool:
    """Whether a secrets file Streamlit will read has an [auth] section (OIDC sign-in)."""
    import tomllib

    places = [secrets] if secrets else [Path.home() / ".streamlit" / "secrets.toml", Path(".streamlit/secrets.toml")]
    for place in places:
        try:
            if "auth" in tomllib.loads(place.read_text(encoding="utf-8")):
                return True
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            continue
    return False


def run_ui(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    secrets = Path(args.secrets).resolve() if args.secrets else None
    if secrets is not None and not secrets.is_file():
        raise CliError(f"--secrets {args.secrets}: no such file")
    if args.address not in ("localhost", "127.0.0.1", "::1") and not login_configured(secrets):
        print(f"warning: listening on {args.address} without a login ([auth] in secrets.toml): everyone who reaches "
              f"it acts as {settings.user or login_name()}; for a team configure OIDC and a reverse proxy with TLS "
              "(README)", file=sys.stderr, flush=True)
    env = dict(os.environ, CONCLUSIO_STORE=str(Path(settings.store_dir).resolve()),
               CONCLUSIO_EMBED_MODEL=settings.embed_model, HF_HUB_OFFLINE=os.environ.get("HF_HUB_OFFLINE", "1"))
    if settings.user:
        env["CONCLUSIO_USER"] = settings.user
    if settings.users_file:
        env["CONCLUSIO_USERS"] = str(Path(settings.users_file).resolve())
    print(f"Conclusio UI: http://{args.address}:{args.port}  (store: {env['CONCLUSIO_STORE']}; Ctrl-C stops it)",
          flush=True)
    # Replace this process, so that signals (Ctrl-C, a service manager's SIGTERM) reach Streamlit itself.
    os.execve(sys.executable, streamlit_command(args.port, args.address, secrets), env)
