"""``lookup://[region,…]``: CloudTrail's LookupEvents API, for accounts that have no trail.

LookupEvents returns the account's management events of the last 90 days, per region, 50 per page,
each with the full record as a ``CloudTrailEvent`` JSON string. Those strings are wrapped into the
``{"Records": [...]}`` shape a trail delivers and go through the very same normalisation, so the
``raw`` column holds each record exactly as AWS returned it and its ``eventID`` is the evidence key.

The source is listed as one log object per region and hour (``CloudTrail/<region>/YYYY/MM/DD/
lookup-events-HH.json``), up to the last hour that is complete (events reach LookupEvents within
about 15 minutes), so the incremental state records which hours were read and a re-run asks only
for new ones. Hours are fetched a day at a time (one paginated sweep), so a quiet account costs
about one call per region and day and memory holds at most one day of events.

``since``/``until`` (``--since``/``--until``) narrow the window: a first run with ``--since 2d``
asks for two days, not ninety.

A region where LookupEvents cannot be called (no permission, throttled beyond retries, or an
endpoint that does not implement it, such as moto) becomes one unreadable object, hence a gap in
the result with the reason, and is tried again on the next run. A day whose sweep fails part way
makes each of its hours unreadable, so none is recorded as read and the next run asks again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from soryoku.core.errors import CredentialsError, InputError
from soryoku.detect.sources.locations import FetchError, LogObject

SCHEME = "lookup://"
RETENTION_DAYS = 90
DELIVERY_LAG = timedelta(minutes=15)
_HOUR = timedelta(hours=1)
_CHUNK = timedelta(days=1)

ClientFactory = Callable[[str], Any]


def parse_lookup_url(location: str) -> tuple[str, ...]:
    """``lookup://`` → () (every enabled region); ``lookup://eu-west-1,us-east-1`` → those regions."""
    if not location.startswith(SCHEME):
        raise InputError(f"log location {location!r}: expected lookup://[region,…]")
    regions = tuple(part.strip() for part in location[len(SCHEME) :].strip("/").split(",") if part.strip())
    for region in regions:
        if not region.replace("-", "").isalnum() or region.count("-") < 2:
            raise InputError(f"log location {location!r}: {region!r} is not an AWS region name (eu-west-1)")
    return regions


def _default_client(region: str) -> Any:
    import boto3
    from botocore.config import Config

    # LookupEvents allows 2 requests per second per account and region: adaptive retries rate-limit
    # the client instead of failing (attempts: AWS_MAX_ATTEMPTS or the AWS config, default 3).
    return boto3.client("cloudtrail", region_name=region, config=Config(retries={"mode": "adaptive"}))


def enabled_regions() -> tuple[str, ...]:
    """The regions enabled for the account (``ec2:DescribeRegions``)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        answer = boto3.client("ec2").describe_regions()
    except NoCredentialsError as error:
        raise CredentialsError(f"log location {SCHEME!r}: no AWS credentials ({error})") from error
    except (ClientError, BotoCoreError) as error:
        raise InputError(
            f"log location {SCHEME!r}: cannot list the enabled regions ({error}); name them: "
            "lookup://eu-west-1,us-east-1"
        ) from error
    return tuple(sorted(item["RegionName"] for item in answer.get("Regions", [])))


def render_records(events: list[str]) -> bytes:
    """``CloudTrailEvent`` strings → the bytes of a trail file ``{"Records": [...]}`` (records verbatim)."""
    return b'{"Records":[' + b",".join(text.encode("utf-8") for text in events) + b"]}"


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _utc(moment: datetime) -> datetime:
    """A naive moment is UTC (as ``--since``/``--until`` give it)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def window(
    now: datetime, days: int, since: datetime | None = None, until: datetime | None = None
) -> tuple[datetime, datetime]:
    """The whole hours ``[start, end)`` to read: the retention (or ``since``) up to the last complete
    hour (or ``until``, rounded up to the hour that holds it)."""
    moment = _utc(now)
    start = _hour(moment - timedelta(days=days))
    end = _hour(moment - DELIVERY_LAG)
    if since is not None:
        start = max(start, _hour(_utc(since)))
    if until is not None:
        last = _utc(until)
        end = min(end, _hour(last) + (_HOUR if last != _hour(last) else timedelta(0)))
    return start, end


@dataclass(slots=True)
class RegionSweep:
    """Fetches one region's events a day at a time and hands them out per hour."""

    client: Any
    region: str
    end: datetime
    hours: dict[datetime, list[str]] = field(default_factory=dict)
    swept: set[datetime] = field(default_factory=set)
    failure: str | None = None
    calls: int = 0

    def events(self, hour: datetime) -> list[str]:
        """The ``CloudTrailEvent`` strings of the hour starting at ``hour`` (oldest first).

        ``FetchError`` when the day's sweep failed (every hour of that day then reports the same reason,
        without calling again).
        """
        if hour not in self.swept:
            self._sweep(hour, min(hour + _CHUNK, self.end))
        self.swept.discard(hour)
        if self.failure is not None:
            raise FetchError(self.failure)
        return self.hours.pop(hour, [])

    def _sweep(self, start: datetime, stop: datetime) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        self.hours.clear()
        self.swept.clear()
        self.failure = None
        hours = []
        hour = start
        while hour < stop:
            hours.append(hour)
            hour += _HOUR
        self.swept.update(hours)
        found: dict[datetime, list[tuple[datetime, str]]] = {}
        try:
            for page in self.client.get_paginator("lookup_events").paginate(StartTime=start, EndTime=stop):
                self.calls += 1
                for event in page.get("Events", []):
                    text = event.get("CloudTrailEvent")
                    moment = event.get("EventTime")
                    if not isinstance(text, str) or not isinstance(moment, datetime):
                        continue
                    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
                    # EndTime is inclusive: an event on the boundary belongs to the next sweep's hour.
                    if start <= moment < stop:
                        found.setdefault(_hour(moment), []).append((moment, text))
        except (ClientError, BotoCoreError) as error:
            self.failure = f"CloudTrail LookupEvents failed in {self.region}: {error}"
            return
        for hour in hours:
            self.hours[hour] = [text for _, text in sorted(found.get(hour, []), key=lambda item: item[0])]


def _probe(client: Any, region: str, now: datetime) -> str | None:
    """None when LookupEvents answers in ``region``; otherwise why it does not."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        client.lookup_events(StartTime=now - _HOUR, EndTime=now, MaxResults=1)
    except ClientError as error:
        info = error.response.get("Error", {})
        # An endpoint that does not implement the API (moto) answers with an HTML error page.
        message = " ".join(re.sub(r"<[^>]+>", " ", str(info.get("Message") or error)).split())
        return f"{info.get('Code', 'error')}: {message[:200]}"
    except BotoCoreError as error:
        return str(error)
    return None


def _failed(region: str, reason: str, now: datetime) -> LogObject:
    def fetch() -> bytes:
        raise FetchError(f"CloudTrail LookupEvents cannot be read in {region} ({reason})")

    # A version that changes every run: the region is tried again next time.
    return LogObject(f"CloudTrail/{region}/lookup-events", 0, f"failed-{now.isoformat()}", fetch)


def list_lookup(
    location: str,
    *,
    clients: ClientFactory | None = None,
    now: datetime | None = None,
    days: int = RETENTION_DAYS,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[LogObject]:
    """One log object per region and complete hour of the window (see the module doc and ``window``)."""
    regions = parse_lookup_url(location) or enabled_regions()
    make = clients or _default_client
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    start, end = window(moment, days, since, until)
    if start >= end:
        return
    for region in regions:
        client = make(region)
        reason = _probe(client, region, moment)
        if reason is not None:
            yield _failed(region, reason, moment)
            continue
        sweep = RegionSweep(client, region, end)
        hour = start
        while hour < end:

            def fetch(hour: datetime = hour, sweep: RegionSweep = sweep) -> bytes:
                return render_records(sweep.events(hour))

            key = f"CloudTrail/{region}/{hour:%Y/%m/%d}/lookup-events-{hour:%H}.json"
            yield LogObject(key, 0, "complete", fetch)
            hour += _HOUR


__all__ = ["SCHEME", "RegionSweep", "list_lookup", "parse_lookup_url", "render_records", "window"]
