"""The findings store: runs, findings upserted by uid, their lifecycle, and queries for reports.

SQLite by default (a file in the per-user data dir, or ``--db``/``SORYOKU_DB``), PostgreSQL by URL
(``postgresql://…`` uses psycopg 3). Each run keeps every finding it saw as OCSF JSON
(``soryoku_run_findings``); ``soryoku_findings`` holds each finding's lifecycle state (status,
first/last seen, resolved time) and the columns queries filter on, pointing at the run that last
saw it.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, replace
from types import TracebackType
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    String,
    and_,
    any_,
    bindparam,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from soryoku.core.errors import InputError, StoreError
from soryoku.core.finding import Finding, ResultStatus, WorkflowStatus, now_ms
from soryoku.core.result import Coverage, Gap, ScanResult
from soryoku.core.severity import Severity
from soryoku.hub import schema
from soryoku.hub.database import DB_ENV, IMMEDIATE_KEY, connect, default_db_path, error_reason
from soryoku.hub.lifecycle import (
    Change,
    PriorState,
    Transition,
    activity_span,
    apply_lifecycle,
    resolved_by_absence,
)
from soryoku.hub.mutelist import Mutelist
from soryoku.hub.runs import RunDiff, RunInfo, RunSummary

_CHUNK = 500  # uids per IN (...) query, well under SQLite's bound-parameter limit

_F = schema.findings
_R = schema.runs
_RF = schema.run_findings


def open_store(db: str | None = None) -> Store:
    """Open (creating or upgrading as needed) the findings store ``db``.

    ``db`` is a SQLite path or a database URL; None means ``$SORYOKU_DB``, else the per-user file.
    Raises StoreError when the store is unreachable, corrupt, not soryoku's, or too new.
    """
    engine, display = connect(db)
    store = Store(engine, display)
    try:
        with store._write() as conn:
            schema.ensure_schema(conn, foreign_tables_allowed=engine.dialect.name != "sqlite")
    except StoreError as exc:
        engine.dispose()
        raise StoreError(f"findings store {display!r}: {exc}") from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"findings store {display!r}: cannot be opened ({error_reason(exc)})") from exc
    return store


def _json(finding: Finding) -> str:
    return finding.model_dump_json(exclude_none=True)


def _finding(ocsf: str) -> Finding:
    return Finding.from_ocsf(json.loads(ocsf))


def _gaps_json(gaps: Sequence[Gap]) -> str:
    return json.dumps([{**asdict(g), "checks": list(g.checks)} for g in gaps])


def _gaps(text: str) -> tuple[Gap, ...]:
    return tuple(
        Gap(engine=g["engine"], scope=g["scope"], reason=g["reason"], checks=tuple(g.get("checks", ())))
        for g in json.loads(text)
    )


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _severity_order(finding: Finding) -> tuple[int, str, str]:
    return (-int(finding.severity_id), finding.check_id, finding.uid)


class Store:
    """A findings store; use ``open_store`` to get one, and close it (or use ``with``)."""

    def __init__(self, engine: Engine, display: str) -> None:
        self.engine = engine
        self.display = display

    # -- plumbing ---------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.connection.info[IMMEDIATE_KEY] = True
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"findings store {self.display!r}: {error_reason(exc)}") from exc

    def _upsert(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        dialect = self.engine.dialect.name
        stmt = postgresql.insert(_F) if dialect == "postgresql" else sqlite.insert(_F)
        keep = {"uid", "first_seen_ms"}
        stmt = stmt.on_conflict_do_update(
            index_elements=[_F.c.uid],
            set_={c.name: stmt.excluded[c.name] for c in _F.columns if c.name not in keep},
        )
        conn.execute(stmt, rows)

    # -- recording a run --------------------------------------------------------

    def _prior(self, conn: Connection, uids: Sequence[str]) -> dict[str, PriorState]:
        prior: dict[str, PriorState] = {}
        columns = (_F.c.uid, _F.c.status_code, _F.c.status_id, _F.c.first_seen_ms, _F.c.resolved_ms)
        if self.engine.dialect.name == "postgresql":
            # One array parameter: a long IN (...) list gets a slow generic plan once psycopg
            # prepares the statement (after five executions).
            array = bindparam("uids", list(uids), type_=postgresql.ARRAY(String))
            queries = [select(*columns).where(_F.c.uid == any_(array))] if uids else []
        else:
            queries = [select(*columns).where(_F.c.uid.in_(chunk)) for chunk in _chunks(uids)]
        for query in queries:
            for uid, code, status, first, resolved in conn.execute(query):
                prior[uid] = PriorState(ResultStatus(code), WorkflowStatus(status), first, resolved)
        return prior

    def record(self, result: ScanResult, *, mutelist: Mutelist | None = None) -> RunSummary:
        """Store one run: its findings (upserted by uid), gaps, suppressions and lifecycle.

        The mutelist is applied as of the run's time; without one, nothing of this run is muted.
        """
        seen_ms = result.finished_ms or result.started_ms or now_ms()
        started_ms = result.started_ms or seen_ms
        incoming = mutelist.apply(result.findings, at_ms=seen_ms) if mutelist else list(result.findings)
        run_id = uuid.uuid4().hex
        try:
            with self._write() as conn:
                uids = list(dict.fromkeys(f.uid for f in incoming))
                transitions = apply_lifecycle(incoming, self._prior(conn, uids), seen_ms)
                unresolved = conn.execute(
                    select(_F.c.uid, _F.c.check_id, _F.c.region).where(
                        _F.c.engine == result.engine,
                        _F.c.scope == result.scope,
                        _F.c.status_code == ResultStatus.FAIL.value,
                        _F.c.status_id != int(WorkflowStatus.RESOLVED),
                    )
                ).all()
                absent = resolved_by_absence(
                    self._inside(conn, unresolved, set(uids), result.coverage), set(uids), result.complete
                )
                self._upsert(
                    conn, [self._row(t, result, run_id, seen_ms) for t in transitions if not t.keep_stored]
                )
                if absent:
                    conn.execute(
                        update(_F)
                        .where(_F.c.uid == bindparam("b_uid"))
                        .values(status_id=int(WorkflowStatus.RESOLVED), resolved_ms=seen_ms),
                        [{"b_uid": uid} for uid in absent],
                    )
                if transitions:
                    conn.execute(
                        _RF.insert(),
                        [
                            {
                                "run_id": run_id,
                                "uid": t.finding.uid,
                                "status_code": t.finding.status_code.value,
                                "status_id": int(t.finding.status_id),
                                "severity_id": int(t.finding.severity_id),
                                "ocsf": _json(t.finding),
                            }
                            for t in transitions
                        ],
                    )
                summary = self._summary(run_id, result, transitions, absent)
                conn.execute(
                    _R.insert().values(
                        run_id=run_id,
                        engine=result.engine,
                        scope=result.scope,
                        started_ms=started_ms,
                        finished_ms=seen_ms,
                        complete=result.complete,
                        gaps=_gaps_json(result.gaps),
                        coverage=json.dumps(result.coverage.to_json()) if result.coverage else None,
                        finding_count=len(transitions),
                        fail_count=sum(t.finding.status_code is ResultStatus.FAIL for t in transitions),
                        pass_count=sum(t.finding.status_code is ResultStatus.PASS for t in transitions),
                        suppressed_count=len(summary.suppressed),
                        new_count=len(summary.new),
                        resolved_count=len(summary.resolved),
                    )
                )
        except SQLAlchemyError as exc:
            raise StoreError(
                f"findings store {self.display!r}: cannot record the run ({error_reason(exc)})"
            ) from exc
        return summary

    def _inside(
        self,
        conn: Connection,
        unresolved: Sequence[Row[Any, Any, Any]],
        seen: set[str],
        coverage: Coverage | None,
    ) -> list[str]:
        """The unresolved FAILs (uid, check_id, region rows) this run did not see and that lie inside
        its coverage; activity spans are read only for those a time window still has to place."""
        missing = [row for row in unresolved if row.uid not in seen]
        if coverage is None:
            return [row.uid for row in missing]
        if not coverage.timed:
            return [row.uid for row in missing if coverage.covers(row.check_id, row.region)]
        untimed = replace(coverage, since_ms=None, until_ms=None)
        placed = [row for row in missing if untimed.covers(row.check_id, row.region)]
        spans = self._activity_spans(conn, [row.uid for row in placed])
        return [row.uid for row in placed if coverage.covers(row.check_id, row.region, spans.get(row.uid))]

    def _activity_spans(self, conn: Connection, uids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """First and last activity times of these findings (as their last run saw them)."""
        spans: dict[str, tuple[int, int]] = {}
        joined = select(_F.c.uid, _RF.c.ocsf).join(
            _RF, and_(_RF.c.run_id == _F.c.last_run_id, _RF.c.uid == _F.c.uid)
        )
        for chunk in _chunks(uids):
            for uid, text in conn.execute(joined.where(_F.c.uid.in_(chunk))):
                span = activity_span(_finding(text))
                if span is not None:
                    spans[uid] = span
        return spans

    @staticmethod
    def _row(t: Transition, result: ScanResult, run_id: str, seen_ms: int) -> dict[str, Any]:
        f = t.finding
        return {
            "uid": f.uid,
            "engine": result.engine,
            "scope": result.scope,
            "class_uid": int(f.class_uid),
            "check_id": f.check_id,
            "resource_uid": f.resource_uid,
            "account_uid": f.account_uid,
            "region": f.region,
            "severity_id": int(f.severity_id),
            "status_code": f.status_code.value,
            "status_id": int(f.status_id),
            "first_seen_ms": f.finding_info.first_seen_time or seen_ms,
            "last_seen_ms": seen_ms,
            "resolved_ms": t.resolved_ms,
            "last_run_id": run_id,
        }

    @staticmethod
    def _summary(
        run_id: str, result: ScanResult, transitions: list[Transition], absent: list[str]
    ) -> RunSummary:
        return RunSummary(
            run_id=run_id,
            engine=result.engine,
            scope=result.scope,
            complete=result.complete,
            findings=[t.finding for t in transitions],
            new=[t.finding.uid for t in transitions if t.change is Change.NEW],
            resolved=[t.finding.uid for t in transitions if t.change is Change.RESOLVED] + absent,
            suppressed=[t.finding.uid for t in transitions if t.change is Change.SUPPRESSED],
        )

    # -- current state -------------------------------------------------------------

    def _current_select(self) -> Select[Any]:
        return select(_F, _RF.c.ocsf).join(_RF, and_(_RF.c.run_id == _F.c.last_run_id, _RF.c.uid == _F.c.uid))

    @staticmethod
    def _current(row: Row[Any]) -> Finding:
        finding = _finding(row.ocsf)
        info = finding.finding_info.model_copy(
            update={"first_seen_time": row.first_seen_ms, "last_seen_time": row.last_seen_ms}
        )
        update_: dict[str, Any] = {"status_id": WorkflowStatus(row.status_id), "finding_info": info}
        if row.resolved_ms is not None:
            update_["unmapped"] = {**(finding.unmapped or {}), "resolved_time": row.resolved_ms}
        return finding.model_copy(update=update_)

    def current_findings(
        self,
        *,
        engine: str | None = None,
        include_resolved: bool = False,
        include_passed: bool = False,
        scope: str | None = None,
        statuses: Iterable[WorkflowStatus] | None = None,
        min_severity: Severity = Severity.UNKNOWN,
        check: str | None = None,
        account: str | None = None,
        region: str | None = None,
    ) -> list[Finding]:
        """The latest state of each finding, most severe first.

        By default resolved findings and PASS results are left out; ``statuses`` keeps only those
        workflow statuses; ``check`` is a glob on the check id.
        """
        stmt = self._current_select()
        if engine:
            stmt = stmt.where(_F.c.engine == engine)
        if scope:
            stmt = stmt.where(_F.c.scope == scope)
        if not include_resolved:
            stmt = stmt.where(_F.c.status_id != int(WorkflowStatus.RESOLVED))
        if not include_passed:
            stmt = stmt.where(_F.c.status_code != ResultStatus.PASS.value)
        if statuses is not None:
            stmt = stmt.where(_F.c.status_id.in_([int(s) for s in statuses]))
        if min_severity > Severity.UNKNOWN:
            stmt = stmt.where(_F.c.severity_id >= int(min_severity))
        if account:
            stmt = stmt.where(_F.c.account_uid == account)
        if region:
            stmt = stmt.where(_F.c.region == region)
        with self._read() as conn:
            rows = conn.execute(stmt).all()
        found = [
            self._current(row) for row in rows if check is None or fnmatch.fnmatchcase(row.check_id, check)
        ]
        return sorted(found, key=_severity_order)

    def get(self, uid: str) -> Finding:
        """The latest state of one finding by uid (or a unique uid prefix); InputError when missing."""
        with self._read() as conn:
            rows = conn.execute(self._current_select().where(_F.c.uid == uid)).all()
            if not rows and uid:
                pattern = uid.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                rows = conn.execute(
                    self._current_select().where(_F.c.uid.like(pattern, escape="\\")).limit(2)
                ).all()
        if len(rows) > 1:
            raise InputError(f"finding {uid!r}: the prefix matches several findings, give more of the uid")
        if not rows:
            raise InputError(f"finding {uid!r}: no such finding in {self.display}")
        return self._current(rows[0])

    # -- runs ---------------------------------------------------------------------

    @staticmethod
    def _run_info(row: Row[Any]) -> RunInfo:
        return RunInfo(
            run_id=row.run_id,
            engine=row.engine,
            scope=row.scope,
            started_ms=row.started_ms,
            finished_ms=row.finished_ms,
            complete=bool(row.complete),
            gaps=_gaps(row.gaps),
            coverage=Coverage.from_json(json.loads(row.coverage)) if row.coverage else None,
            finding_count=row.finding_count,
            fail_count=row.fail_count,
            pass_count=row.pass_count,
            suppressed_count=row.suppressed_count,
            new_count=row.new_count,
            resolved_count=row.resolved_count,
        )

    def runs(
        self, limit: int | None = 20, *, engine: str | None = None, scope: str | None = None
    ) -> list[RunInfo]:
        """Recorded runs, newest first."""
        stmt = select(_R).order_by(_R.c.seq.desc())
        if engine:
            stmt = stmt.where(_R.c.engine == engine)
        if scope:
            stmt = stmt.where(_R.c.scope == scope)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as conn:
            return [self._run_info(row) for row in conn.execute(stmt)]

    def _run_row(self, conn: Connection, run_id: str) -> Row[Any]:
        rows = conn.execute(select(_R).where(_R.c.run_id == run_id)).all()
        if not rows and run_id and all(c in "0123456789abcdef" for c in run_id):
            rows = conn.execute(select(_R).where(_R.c.run_id.like(run_id + "%")).limit(2)).all()
        if len(rows) > 1:
            raise InputError(f"run {run_id!r}: the prefix matches several runs, give more of the id")
        if not rows:
            raise InputError(f"run {run_id!r}: no such run in {self.display} (see `soryoku findings runs`)")
        return rows[0]

    def run(self, run_id: str) -> RunInfo:
        """One run by id (or a unique id prefix); InputError when missing."""
        with self._read() as conn:
            return self._run_info(self._run_row(conn, run_id))

    def previous_run(self, run_id: str) -> RunInfo | None:
        """The run of the same engine and scope recorded just before ``run_id``, if any."""
        with self._read() as conn:
            row = self._run_row(conn, run_id)
            before = conn.execute(
                select(_R)
                .where(_R.c.engine == row.engine, _R.c.scope == row.scope, _R.c.seq < row.seq)
                .order_by(_R.c.seq.desc())
                .limit(1)
            ).first()
        return self._run_info(before) if before is not None else None

    def run_findings(self, run_id: str) -> list[Finding]:
        """The findings one run saw, as they were then (status as of that run), most severe first."""
        with self._read() as conn:
            full_id = self._run_row(conn, run_id).run_id
            texts = conn.execute(select(_RF.c.ocsf).where(_RF.c.run_id == full_id)).scalars().all()
        return sorted((_finding(t) for t in texts), key=_severity_order)

    def _verdicts(self, conn: Connection, run_id: str) -> dict[str, str]:
        """uid → "open" / "pass" / "other" for one run, without parsing any JSON."""
        rows = conn.execute(
            select(_RF.c.uid, _RF.c.status_code, _RF.c.status_id).where(_RF.c.run_id == run_id)
        )
        verdicts: dict[str, str] = {}
        for uid, code, status in rows:
            if code == ResultStatus.FAIL.value and status == int(WorkflowStatus.NEW):
                verdicts[uid] = "open"
            else:
                verdicts[uid] = "pass" if code == ResultStatus.PASS.value else "other"
        return verdicts

    def _parsed(self, conn: Connection, run_id: str, uids: set[str]) -> dict[str, Finding]:
        """The findings ``uids`` as run ``run_id`` saw them (only those are parsed)."""
        if not uids:
            return {}
        query = select(_RF.c.uid, _RF.c.ocsf).where(_RF.c.run_id == run_id)
        if len(uids) <= _CHUNK:
            query = query.where(_RF.c.uid.in_(sorted(uids)))
        return {uid: _finding(text) for uid, text in conn.execute(query) if uid in uids}

    def diff(self, run_a: str, run_b: str) -> RunDiff:
        """What changed from run ``run_a`` to run ``run_b`` (new, resolved, still open)."""
        with self._read() as conn:
            info_a = self._run_info(self._run_row(conn, run_a))
            info_b = self._run_info(self._run_row(conn, run_b))
            seen_a = self._verdicts(conn, info_a.run_id)
            seen_b = self._verdicts(conn, info_b.run_id)
            open_a = {uid for uid, v in seen_a.items() if v == "open"}
            open_b = {uid for uid, v in seen_b.items() if v == "open"}
            same_scope = (info_a.engine, info_a.scope) == (info_b.engine, info_b.scope)
            absence_resolves = info_b.complete and same_scope
            passed = {uid for uid in open_a if seen_b.get(uid) == "pass"}
            gone = {uid for uid in open_a if uid not in seen_b} if absence_resolves else set()
            earlier = self._parsed(conn, info_a.run_id, gone)
            if info_b.coverage is not None:  # b looked at part of the scope: only that part can be gone
                covers = info_b.coverage.covers
                gone = {
                    u
                    for u in gone
                    if covers(earlier[u].check_id, earlier[u].region, activity_span(earlier[u]))
                }
            later = self._parsed(conn, info_b.run_id, open_b | passed)
        resolved = [later[u] for u in passed] + [
            earlier[u].model_copy(update={"status_id": WorkflowStatus.RESOLVED}) for u in gone
        ]
        return RunDiff(
            run_a=info_a,
            run_b=info_b,
            new=sorted((later[u] for u in open_b - open_a), key=_severity_order),
            resolved=sorted(resolved, key=_severity_order),
            still_open=sorted((later[u] for u in open_a & open_b), key=_severity_order),
        )


__all__ = ["DB_ENV", "Store", "default_db_path", "open_store"]
