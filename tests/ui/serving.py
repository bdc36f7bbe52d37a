"""Serving the UI (or a test's identity provider) for the tests that talk to it over HTTP: a free port,
a GET, waiting for a process to answer, and stopping it with its children."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

START_TIMEOUT = 90  # seconds for Streamlit (or the provider) to answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


def wait_for(url: str, process: subprocess.Popen, what: str, timeout: float = START_TIMEOUT) -> None:
    """Return once ``url`` answers 200; fail the test with the process's output when it dies or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if get(url)[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read() if process.stdout and process.poll() is not None else ""
            pytest.fail(f"{what} did not answer at {url}: {output[-2000:]}")
        time.sleep(0.5)


def stop(process: subprocess.Popen) -> None:
    """End a process started with ``start_new_session=True`` and everything it started."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
