"""The simulated AWS account: an in-process moto server on a free 127.0.0.1 port."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import urllib.request
from collections.abc import Iterator

from soryoku.core.errors import InputError

DEMO_ACCOUNT_ID = "123456789012"  # moto's default account
DEMO_REGION = "us-east-1"

_LOG = logging.getLogger(__name__)
_AWS_VARIABLES = (
    "AWS_MAX_ATTEMPTS",
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


def _quiet_moto() -> None:
    """Keep moto's server chatter out of the demo's output (the report is the output).

    werkzeug logs every request and a traceback for every API moto has not implemented (the
    scan reports those as "not evaluated" itself), and moto's dispatcher print()s to stdout for
    hosts it cannot route (Access Analyzer), which would corrupt ``--format json`` on stdout.
    """
    from moto.moto_server import werkzeug_app

    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    werkzeug_app.print = lambda *args, **kwargs: _LOG.debug(" ".join(map(str, args)))  # type: ignore[attr-defined]


def _forget_leftover_backends() -> None:
    """Drop every in-process moto backend that survived ``/moto-api/reset``.

    moto's reset re-initialises each backend in use, and some re-inits reach into other services'
    backends (Auto Scaling's touches EC2, ELB and ELBv2), re-creating them — default VPC included —
    after their own reset and outside the seeded id generator. A later demo run would then draw
    different ids from the first one; emptying every backend dict makes each run start like the first.
    """
    from moto.core.base_backend import BackendDict

    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("moto."):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, BackendDict):
                value.clear()


@contextlib.contextmanager
def simulated_account(region: str = DEMO_REGION) -> Iterator[str]:
    """Start a moto server, point this process's boto3 at it, and yield its URL.

    The process environment is restored afterwards, so nothing of the demo leaks into a later
    real scan in the same process.
    """
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:
        raise InputError("--demo needs the simulated AWS account: install soryoku[demo] (moto)") from exc
    _quiet_moto()
    saved = {name: os.environ.get(name) for name in _AWS_VARIABLES}
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        # In-process moto keeps its state in globals: start every demo from an empty account.
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30
        ).read()
        _forget_leftover_backends()
        # moto draws resource ids (sg-…, i-…) from its own random generator: seeding it gives the
        # demo the same ids every run, so a second run's diff shows nothing new.
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/moto-api/seed?a=20211108", method="POST"), timeout=30
        ).read()
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": url,
                "AWS_ACCESS_KEY_ID": "soryoku-demo",
                "AWS_SECRET_ACCESS_KEY": "soryoku-demo",
                "AWS_DEFAULT_REGION": region,
                # the simulated account never throttles, and moto answers an API it lacks with HTTP 500,
                # which botocore would retry with backoff for a minute: one retry is plenty here
                "AWS_MAX_ATTEMPTS": "2",
                # no profile or config file of the user's may redirect the demo to a real account
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            }
        )
        os.environ.pop("AWS_SESSION_TOKEN", None)
        os.environ.pop("AWS_PROFILE", None)
        yield url
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


__all__ = ["DEMO_ACCOUNT_ID", "DEMO_REGION", "simulated_account"]
