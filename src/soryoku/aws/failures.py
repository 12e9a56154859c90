"""Turn an AWS call failure into the one-line reason a Gap and a NOT_EVALUATED finding carry."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

#: The exceptions a collector may raise for reasons outside soryoku (caught at one boundary).
COLLECTION_ERRORS: tuple[type[BaseException], ...] = (BotoCoreError, ClientError, ResponseParserError)

_ACCESS_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "SlowDown",
    "ProvisionedThroughputExceededException",
}
_REGION_DISABLED = {"OptInRequired", "InvalidClientTokenId", "UnrecognizedClientException"}
_NOT_AVAILABLE = {
    "NotImplemented",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "UnknownOperation",
}


def _short(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def failure_reason(error: BaseException) -> str:
    """A short, stable reason: ``access denied``, ``throttled beyond retries``, ``region not enabled``…"""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = str(details.get("Code", "Unknown"))
        message = _short(str(details.get("Message", "")))
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        operation = error.operation_name
        if code in _ACCESS_DENIED or code.endswith("AccessDenied"):
            return f"access denied ({code} on {operation}): {message}".rstrip(": ")
        if code in _THROTTLED:
            return f"throttled beyond retries ({code} on {operation})"
        if code in _REGION_DISABLED:
            return f"region not enabled or credentials not valid there ({code} on {operation})"
        if code in _NOT_AVAILABLE or status >= 500 or code in {"404", "500", "501"}:
            return f"API not available ({code}, HTTP {status} on {operation})"
        return f"{code} on {operation}: {message}".rstrip(": ")
    if isinstance(error, ResponseParserError):
        return f"API not available (unparseable response: {_short(str(error), 120)})"
    if isinstance(error, NoCredentialsError):
        return "no AWS credentials"
    if isinstance(error, EndpointConnectionError):
        return f"endpoint unreachable: {_short(str(error), 160)}"
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return f"timed out: {_short(str(error), 160)}"
    return f"{type(error).__name__}: {_short(str(error))}"


def error_code(error: BaseException) -> str:
    """The AWS error code of a ClientError, or ``""``."""
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


__all__ = ["COLLECTION_ERRORS", "error_code", "failure_reason"]
