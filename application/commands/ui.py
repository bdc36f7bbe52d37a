"""``conclusio ui``: serve the Streamlit app on the configured store."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from application.commands._common import settings_from

APP = Path(__file__).resolve().parent.parent.parent / "ui" / "app.py"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ui = subparsers.add_parser(
        "ui",
        parents=[common],
        help="start the web UI (search, prior wording, obligations, documents)",
        description="Start the Streamlit UI on the store, headless, and print its URL. Ctrl-C stops it.",
    )
    ui.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    ui.add_argument("--address", default="localhost", help="address to listen on (default localhost)")
    ui.set_defaults(func=run_ui)


def streamlit_command(port: int, address: str) -> list[str]:
    """The command line that serves the app."""
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
            "--server.port", str(port), "--server.address", address, "--browser.gatherUsageStats", "false",
            "--client.toolbarMode", "minimal"]


def run_ui(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    env = dict(os.environ, CONCLUSIO_STORE=str(Path(settings.store_dir).resolve()),
               CONCLUSIO_EMBED_MODEL=settings.embed_model, HF_HUB_OFFLINE=os.environ.get("HF_HUB_OFFLINE", "1"))
    print(f"Conclusio UI: http://{args.address}:{args.port}  (store: {env['CONCLUSIO_STORE']}; Ctrl-C stops it)",
          flush=True)
    # Replace this process, so that signals (Ctrl-C, a service manager's SIGTERM) reach Streamlit itself.
    os.execve(sys.executable, streamlit_command(args.port, args.address), env)
