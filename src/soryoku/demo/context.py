"""What each engine's demo layer receives: a running simulated account and a scratch folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class DemoContext:
    """The simulated AWS account of ``soryoku scan --demo``.

    When an engine's ``run_demo(ctx)`` is called, the moto server is running and the process
    environment already points boto3 at it (``AWS_ENDPOINT_URL``, dummy credentials,
    ``AWS_DEFAULT_REGION``), so engines use their normal code paths. ``workdir`` is a scratch
    folder the engine may write its demo inputs into (logs, packages, files).
    """

    endpoint_url: str
    account_id: str
    region: str
    workdir: Path
