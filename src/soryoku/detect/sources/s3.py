"""Log objects under an ``s3://bucket/prefix`` (boto3; ``AWS_ENDPOINT_URL`` is honoured)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from soryoku.core.errors import CredentialsError, InputError
from soryoku.detect.sources.locations import FetchError, LogObject


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/prefix`` → (bucket, prefix); InputError when there is no bucket."""
    rest = url.removeprefix("s3://")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise InputError(f"log location {url!r}: expected s3://bucket/prefix")
    return bucket, prefix


def list_s3(url: str, client: Any | None = None) -> Iterator[LogObject]:
    """Every object under the prefix, keys relative to it, fetched lazily."""
    import boto3
    from botocore.exceptions import ClientError, NoCredentialsError

    bucket, prefix = parse_s3_url(url)
    s3 = client or boto3.client("s3")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    try:
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix))
    except NoCredentialsError as error:
        raise CredentialsError(f"log location {url!r}: no AWS credentials ({error})") from error
    except ClientError as error:
        raise InputError(f"log location {url!r}: cannot list ({error})") from error
    for page in pages:
        for item in page.get("Contents", []):
            key: str = item["Key"]
            if key.endswith("/"):
                continue

            def fetch(key: str = key) -> bytes:
                try:
                    body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
                except ClientError as error:
                    raise FetchError(f"cannot read s3://{bucket}/{key}: {error}") from error
                return body

            yield LogObject(key[len(prefix) :], int(item["Size"]), str(item.get("ETag", "")), fetch)
