"""Logging for ``shift-companion serve``: uvicorn's own configuration, with the secret in an
invitation link taken out of every access-log line before it is written.

The invitation link has to carry its token (it is how the new member of staff proves who they
are), so the token is in the URL the server sees; only its keyed hash is stored, and no log
line may hold the token itself.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

# Paths whose last segment is a secret: the invitation link (page and form post).
SECRET_IN_PATH = re.compile(r"^(/invitations/)[^/?#]+[^ ]*")
REDACTED = r"\1[token]"
ACCESS_LOG_PATH = 2  # uvicorn logs (client, method, path with query, HTTP version, status)


def redact(path: str) -> str:
    """The path for a log line: an invitation token (and any query after it) replaced."""
    return SECRET_IN_PATH.sub(REDACTED, path)


class RedactSecrets(logging.Filter):
    """Rewrites the path in uvicorn's access-log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > ACCESS_LOG_PATH:
            path = args[ACCESS_LOG_PATH]
            if isinstance(path, str):
                record.args = (*args[:ACCESS_LOG_PATH], redact(path), *args[ACCESS_LOG_PATH + 1 :])
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's default logging, with ``RedactSecrets`` on its access logger."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": RedactSecrets}
    config["loggers"]["uvicorn.access"]["filters"] = ["redact_secrets"]
    return config
