"""Events to OCSF Detection Findings in the hub — batched on a background thread, never on the request path.

The request path only appends the event to a bounded queue (dropping, and counting, when full).
The worker thread builds findings with :func:`soryoku.core.detection_finding` (importing the core,
pydantic and the hub only there, on first delivery) and hands each batch to a ``deliver`` callable;
the default records the batch as a run of engine ``shield`` in the findings store.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from soryoku.shield.events import ShieldEvent, add_listener, remove_listener

if TYPE_CHECKING:
    from soryoku.core.finding import Finding

Deliver = Callable[[list["Finding"]], None]
LOGGER = logging.getLogger("soryoku.shield.exporter")

_MITRE = {
    "sqli": ("T1190", "Exploit Public-Facing Application"),
    "shell": ("T1059", "Command and Scripting Interpreter"),
    "path": ("T1083", "File and Directory Discovery"),
    "ssrf": ("T1552.005", "Cloud Instance Metadata API"),
    "template": ("T1190", "Exploit Public-Facing Application"),
    "known_bad_inputs": ("T1190", "Exploit Public-Facing Application"),
    "xss": ("T1189", "Drive-by Compromise"),
    "bot": ("T1595", "Active Scanning"),
    "rate": ("T1110", "Brute Force"),
}


def event_finding(event: ShieldEvent, service: str) -> Finding:
    """One Detection Finding (2004) for a shield event; uid = rule + service + route + client + input."""
    from soryoku.core.finding import Evidence, Resource, detection_finding
    from soryoku.core.severity import Severity

    technique = _MITRE.get(event.family)
    attacks = (
        [{"technique": {"uid": technique[0], "name": technique[1]}, "tactic": {"name": "Initial Access"}}]
        if technique
        else None
    )
    verb = "Blocked" if event.action == "block" else "Detected (monitor mode)"
    return detection_finding(
        rule_id=event.label,
        title=event.title,
        severity=Severity.parse(event.severity),
        evidence_key="\x1f".join((service, event.route, event.client_ip, event.location)),
        engine="shield",
        resources=[Resource(uid=f"{service}:{event.route}", type="Web Route", name=event.route)],
        message=f"{verb}: {event.method} {event.route} from {event.client_ip} ({event.location})",
        types=[event.label],
        evidences=[
            Evidence(
                data={
                    "location": event.location,
                    "matched": event.matched,
                    "action": event.action,
                    "mode": event.mode,
                    "latency_us": event.latency_us,
                },
                src_endpoint={"ip": event.client_ip},
                api={"operation": event.method, "request": {"uid": event.route}},
            )
        ],
        attacks=attacks,
        time=event.time_ms,
        first_seen_time=event.time_ms,
        last_seen_time=event.time_ms,
        unmapped={"shield": event.to_dict()},
    )


def hub_deliver(db: str | None = None, service: str = "app") -> Deliver:
    """Record each batch as a run of engine ``shield`` in the findings store ``db``.

    Each batch gets its own scope, so a batch never resolves the findings of an earlier one:
    detections are events, not a state that a later run can see fixed.
    """

    def deliver(findings: list[Finding]) -> None:
        from soryoku.core.result import ScanResult
        from soryoku.hub.store import open_store

        stamp = int(time.time() * 1000)
        result = ScanResult(
            engine="shield",
            scope=f"shield:{service}:{uuid.uuid4().hex[:12]}",
            findings=findings,
            started_ms=min((f.time for f in findings), default=stamp),
            finished_ms=stamp,
        )
        with open_store(db) as store:
            store.record(result)

    return deliver


class FindingExporter:
    """Batches shield events into findings on a daemon thread; ``close()`` flushes what is left.

    Events wait in a bounded queue; the thread drains it every ``interval_s`` seconds, or as soon as
    ``batch_size`` events are waiting. ``flush()`` drains it on the calling thread.
    """

    def __init__(
        self,
        deliver: Deliver | None = None,
        *,
        service: str = "app",
        db: str | None = None,
        batch_size: int = 200,
        interval_s: float = 5.0,
        max_queue: int = 10_000,
    ) -> None:
        self.service = service
        self._deliver = deliver or hub_deliver(db, service)
        self._batch_size = batch_size
        self._interval_s = interval_s
        self._queue: queue.Queue[ShieldEvent] = queue.Queue(maxsize=max_queue)
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._flush_lock = threading.Lock()
        self.dropped = 0
        self.failed = 0
        self.delivered = 0

    def __call__(self, event: ShieldEvent) -> None:
        """The event listener: enqueue, never block the request."""
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1
            return
        if self._queue.qsize() >= self._batch_size:
            self._wake.set()

    def start(self) -> FindingExporter:
        """Listen to shield events and start the worker thread."""
        if self._thread is None:
            self._stopping = False
            add_listener(self)
            self._thread = threading.Thread(target=self._run, name="soryoku-shield-exporter", daemon=True)
            self._thread.start()
        return self

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop listening, stop the thread, deliver what is queued."""
        remove_listener(self)
        if self._thread is not None:
            self._stopping = True
            self._wake.set()
            self._thread.join(timeout_s)
            self._thread = None
        self.flush()

    def flush(self) -> None:
        """Deliver every queued event now, in batches, on the calling thread."""
        with self._flush_lock:
            while True:
                batch: list[ShieldEvent] = []
                while len(batch) < self._batch_size:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                if not batch:
                    return
                self._send(batch)

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self._interval_s)
            self._wake.clear()
            self.flush()

    def _send(self, events: list[ShieldEvent]) -> None:
        try:
            self._deliver([event_finding(e, self.service) for e in events])
        except Exception as error:  # the worker must survive a store outage; the loss is counted and logged
            self.failed += len(events)
            LOGGER.error(
                "shield: %d findings not delivered: %s: %s", len(events), type(error).__name__, error
            )
        else:
            self.delivered += len(events)


def stats(exporter: FindingExporter) -> dict[str, Any]:
    """Delivered, failed and dropped counts (for health endpoints)."""
    return {"delivered": exporter.delivered, "failed": exporter.failed, "dropped": exporter.dropped}


__all__ = ["FindingExporter", "event_finding", "hub_deliver", "stats"]
