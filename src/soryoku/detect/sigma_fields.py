"""Sigma's CloudTrail field names → SQL expressions over the normalised ``cloudtrail`` table.

Sigma rules for ``aws/cloudtrail`` name fields as the CloudTrail record does (``eventName``,
``userIdentity.arn``, ``requestParameters.bucketName``). Fields the store keeps as columns map to
them; anything under ``requestParameters``/``responseElements``/``additionalEventData``/``resources``
is read from the JSON text column (the whole object when the rule names the root, as in
``requestParameters|contains``). A field that the record format has but the store does not keep,
and a name that is no CloudTrail field at all, are refused with a reason that says which.
"""

from __future__ import annotations

from sigma.exceptions import SigmaError

COLUMNS = {
    "eventsource": "event_source",
    "eventname": "event_name",
    "errorcode": "error_code",
    "errormessage": "error_message",
    "awsregion": "region",
    "sourceipaddress": "source_ip",
    "useragent": "user_agent",
    "eventid": "event_id",
    "eventtype": "event_type",
    "recipientaccountid": "account",
    "readonly": "CAST(read_only AS VARCHAR)",
    "useridentity.type": "principal_type",
    "useridentity.arn": "principal_arn",
    "useridentity.accountid": "principal_account",
    "useridentity.accesskeyid": "access_key_id",
    "useridentity.principalid": "principal_id",
    "useridentity.username": "user_name",
    "useridentity.invokedby": "invoked_by",
    "useridentity.sessioncontext.sessionissuer.arn": "session_issuer_arn",
    "useridentity.sessioncontext.attributes.mfaauthenticated": "mfa_authenticated",
}
JSON_COLUMNS = {
    "requestparameters": "request_parameters",
    "responseelements": "response_elements",
    "additionaleventdata": "additional_event_data",
    "resources": "resources",
}
# Top-level fields of a CloudTrail record (AWS's "CloudTrail record contents" reference).
RECORD_FIELDS = frozenset(
    name.lower()
    for name in (
        "eventTime", "eventVersion", "userIdentity", "eventSource", "eventName", "awsRegion",
        "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
        "responseElements", "additionalEventData", "requestID", "eventID", "eventType", "apiVersion",
        "managementEvent", "readOnly", "resources", "recipientAccountId", "serviceEventDetails",
        "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory", "addendum",
        "sessionCredentialFromConsole", "edgeDeviceDetails", "tlsDetails", "insightDetails",
    )
)  # fmt: skip


class UnsupportedFieldError(SigmaError):
    """A Sigma field with no column in the normalised CloudTrail table."""


def json_path(parts: list[str]) -> str:
    """``["a", "b"]`` → ``$."a"."b"`` (each key quoted, so any character is literal)."""
    return "$." + ".".join('"' + part.replace('"', "").replace("'", "''") + '"' for part in parts)


def field_sql(field_name: str) -> str:
    """The SQL expression reading ``field_name`` (``UnsupportedFieldError`` when there is none)."""
    key = field_name.lower()
    if key in COLUMNS:
        return COLUMNS[key]
    root, _, rest = field_name.partition(".")
    column = JSON_COLUMNS.get(root.lower())
    if column is not None:
        return f"json_extract_string({column}, '{json_path(rest.split('.'))}')" if rest else column
    if root.lower() in RECORD_FIELDS:
        raise UnsupportedFieldError(
            f"field {field_name!r} is a CloudTrail field the normalised table does not keep"
        )
    raise UnsupportedFieldError(f"field {field_name!r} is not a CloudTrail record field")


# Text a keyword (a value with no field) is searched in: the record's kept text and JSON columns.
KEYWORD_TEXT = (
    "concat_ws(' ', event_source, event_name, principal_arn, user_name, access_key_id, source_ip, "
    "user_agent, error_code, error_message, request_parameters, response_elements, "
    "additional_event_data, resources)"
)
