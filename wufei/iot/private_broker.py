"""A private mosquitto on a free port, with persistence in a temporary directory.

For the MQTT tests, the ingest bench and trying the protocol locally without touching a shared
broker. Configured the way production must be (PROTOCOL.md): persistence on and no cap on the
queue of an offline persistent session (`max_queued_messages 0`; mosquitto's default of 1000
would silently drop the rest while the worker is down).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

MOSQUITTO = os.environ.get("WUFEI_MOSQUITTO", "/usr/sbin/mosquitto")


def mosquitto_available() -> bool:
    return Path(MOSQUITTO).exists() or shutil.which("mosquitto") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class PrivateBroker:
    def __init__(self, *, port: int | None = None, directory: str | None = None) -> None:
        self.port = port or free_port()
        self._tmp = None if directory else tempfile.TemporaryDirectory(prefix="wufei-mqtt-")
        self.directory = Path(directory or self._tmp.name)  # type: ignore[union-attr]
        self.config = self.directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            "persistence true\n"
            f"persistence_location {self.directory}/\n"
            "autosave_interval 1\n"
            "max_queued_messages 0\n"
            "max_inflight_messages 0\n"
            "log_dest none\n"
            # As root, mosquitto would switch to user "mosquitto", who cannot write here.
            + ("user root\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else "")
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = MOSQUITTO if Path(MOSQUITTO).exists() else (shutil.which("mosquitto") or MOSQUITTO)
        self.process = subprocess.Popen(  # noqa: S603 - our binary, our config file
            [binary, "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    err = self.process.stderr.read().decode() if self.process.stderr else ""
                    raise RuntimeError(f"mosquitto exited: {err}") from None
                time.sleep(0.05)
        raise RuntimeError("mosquitto did not start listening")

    def stop(self, *, kill: bool = False) -> None:
        """SIGTERM (mosquitto saves its persistence file) or SIGKILL."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> PrivateBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
