"""Logs as one JSON object per line, each carrying the id of the request it belongs to."""

import contextvars
import datetime
import json
import logging

# The id of the request being handled (set by ``core.middleware.RequestLogMiddleware``).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Fields a log call may add with ``extra=``; anything else (Django passes the request object
# itself, with its cookies and headers) never reaches the line.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "client", "status_code")


class JSONFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for name in EXTRA_FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
