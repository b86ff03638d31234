"""gunicorn's configuration for Accord's production web server (``accord web``).

gunicorn runs ``accord.wsgi:application`` in pre-forked synchronous workers:
Accord is a synchronous Django application whose writes queue on one log lock,
so a worker per request in flight is the simple, well-trodden model, and a
crashed worker is replaced by the master without dropping the others
(docs/deploy.md says why not an ASGI server). The checkpointer and the outbox
run in ``accord worker``, never inside a web worker.

Loading this module refuses to start without ACCORD_SECRET_KEY, ACCORD_KEK and
ACCORD_ALLOWED_HOSTS, or with ACCORD_DEBUG on, so ``gunicorn -c
python:accord.gunicorn_config`` run by hand is held to the same rule.
"""

import os
from datetime import timedelta
from typing import Any

from gunicorn import glogging

from accord.front.security import withhold_sign_in_tokens
from accord.lib.env import production_refusal


# gunicorn ships no type hints: its Logger is Any to mypy.
class AccessLog(glogging.Logger):  # type: ignore[misc]
    """gunicorn's logger, with sign-in link tokens withheld from every field of the access log.

    The request line, the path and the Referer (the page after a link sign-in
    names the link) all can carry a token; each string field is rewritten.
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        fields = super().atoms(resp, req, environ, request_time)
        return {
            name: withhold_sign_in_tokens(value) if isinstance(value, str) else value
            for name, value in fields.items()
        }


_refusal = production_refusal()
if _refusal is not None:
    raise SystemExit(_refusal)

# Files the application writes (blobs, restricted bodies) are its owner's alone.
os.umask(0o077)

wsgi_app = "accord.wsgi:application"
bind = ["127.0.0.1:8000"]
workers = 2 * (os.cpu_count() or 1) + 1
accesslog = "-"
errorlog = "-"
logger_class = AccessLog
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
timeout = int(timedelta(seconds=30).total_seconds())
graceful_timeout = int(timedelta(seconds=30).total_seconds())
# Behind the TLS proxy on this machine, X-Forwarded-Proto marks a request secure (HSTS, cookies).
forwarded_allow_ips = "127.0.0.1,::1"
