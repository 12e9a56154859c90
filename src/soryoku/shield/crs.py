"""Optional signature engine: the OWASP Core Rule Set run by libmodsecurity3, through ctypes.

A thin binding of our own over ModSecurity's C API (``msc_*``): no compiled extension, no
third-party Python package. The library (Debian ``libmodsecurity3``, Apache-2.0) and the rules
(``modsecurity-crs``, Apache-2.0) are system packages; without them :func:`crs_status` says why and
:class:`CrsEngine` refuses to start with a :class:`~soryoku.core.errors.ConfigError` — never a
failure per request. The CRS runs in its default anomaly-scoring mode; a request is flagged when
ModSecurity asks for a disruptive intervention (the inbound anomaly score reached the threshold),
and the event names the first CRS detection rule that contributed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from soryoku.shield.config import CrsOptions
from soryoku.shield.request import RequestView

DEFAULT_SETUP = Path("/etc/modsecurity/crs/crs-setup.conf")
DEFAULT_RULES = Path("/usr/share/modsecurity-crs/rules")
# SecRuleEngine On (not DetectionOnly) so ModSecurity reports its intervention; whether the request is
# refused is the shield's decision (the `crs` family's mode), not ModSecurity's.
_BASE_CONFIG = b"SecRuleEngine On\nSecRequestBodyAccess On\nSecRequestBodyLimit 13107200\n"
_ID = re.compile(r'\[id "(\d+)"\]')
_MSG = re.compile(r'\[msg "((?:[^"\\]|\\.)*)"\]')
_DATA = re.compile(r'\[data "((?:[^"\\]|\\.)*)"\]')
# Rules that only add up scores or report the verdict, not a detection of their own.
_BOOKKEEPING = ("949", "959", "980", "901")

_LogCallback = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


class _Intervention(ctypes.Structure):
    _fields_ = (
        ("status", ctypes.c_int),
        ("pause", ctypes.c_int),
        ("url", ctypes.c_void_p),  # malloc'ed by the library: the caller frees it
        ("log", ctypes.c_void_p),
        ("disruptive", ctypes.c_int),
    )


@dataclass(frozen=True, slots=True)
class CrsStatus:
    """Whether the CRS engine can run here, and if not, why."""

    available: bool
    reason: str
    library: str | None = None


@dataclass(frozen=True, slots=True)
class CrsMatch:
    """One CRS rule that matched: its id, message and the matched data ModSecurity reported."""

    rule_id: str
    message: str
    data: str


@dataclass(frozen=True, slots=True)
class CrsVerdict:
    """ModSecurity's answer for one request: ``status`` is set (403) when it asks to intervene."""

    status: int | None
    matches: tuple[CrsMatch, ...]

    @property
    def detections(self) -> tuple[CrsMatch, ...]:
        """The matches of detection rules (not the score bookkeeping or the blocking evaluation)."""
        return tuple(m for m in self.matches if not m.rule_id.startswith(_BOOKKEEPING))


def _library_name() -> str | None:
    return ctypes.util.find_library("modsecurity")


def crs_status(setup: Path = DEFAULT_SETUP, rules: Path = DEFAULT_RULES) -> CrsStatus:
    """Whether libmodsecurity3 and the CRS files are present (cheap: nothing is loaded)."""
    library = _library_name()
    if library is None:
        return CrsStatus(False, "libmodsecurity3 not found (apt-get install libmodsecurity3)")
    if not setup.is_file():
        return CrsStatus(
            False, f"CRS setup file {setup} not found (apt-get install modsecurity-crs)", library
        )
    if not any(rules.glob("REQUEST-*.conf")):
        return CrsStatus(
            False, f"no CRS REQUEST-*.conf rules in {rules} (apt-get install modsecurity-crs)", library
        )
    return CrsStatus(True, f"{library} with the CRS in {rules}", library)


def _bind(lib: Any) -> None:
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "msc_init": (vp, []),
        "msc_set_connector_info": (None, [vp, cp]),
        "msc_set_log_cb": (None, [vp, _LogCallback]),
        "msc_create_rules_set": (vp, []),
        "msc_rules_add": (i, [vp, cp, ctypes.POINTER(cp)]),
        "msc_rules_add_file": (i, [vp, cp, ctypes.POINTER(cp)]),
        "msc_rules_cleanup": (i, [vp]),
        "msc_cleanup": (None, [vp]),
        "msc_new_transaction": (vp, [vp, vp, vp]),
        "msc_process_connection": (i, [vp, cp, i, cp, i]),
        "msc_process_uri": (i, [vp, cp, cp, cp]),
        "msc_add_n_request_header": (i, [vp, cp, ctypes.c_size_t, cp, ctypes.c_size_t]),
        "msc_process_request_headers": (i, [vp]),
        "msc_append_request_body": (i, [vp, cp, ctypes.c_size_t]),
        "msc_process_request_body": (i, [vp]),
        "msc_intervention": (i, [vp, ctypes.POINTER(_Intervention)]),
        "msc_transaction_cleanup": (None, [vp]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes


def _unescape(text: str) -> str:
    return text.replace('\\"', '"')


def _parse(message: str) -> CrsMatch | None:
    rule_id = _ID.search(message)
    if rule_id is None:
        return None
    msg, data = _MSG.search(message), _DATA.search(message)
    return CrsMatch(
        rule_id.group(1), _unescape(msg.group(1)) if msg else "", _unescape(data.group(1)) if data else ""
    )


class CrsEngine:
    """The CRS loaded into one ModSecurity instance; :meth:`evaluate` is safe from many threads."""

    def __init__(
        self, setup: Path = DEFAULT_SETUP, rules: Path = DEFAULT_RULES, extra_rules: str = ""
    ) -> None:
        status = crs_status(setup, rules)
        if not status.available or status.library is None:
            from soryoku.core.errors import ConfigError

            raise ConfigError(f"shield CRS engine unavailable: {status.reason}")
        self._lib = ctypes.CDLL(status.library)
        _bind(self._lib)
        self._free = ctypes.CDLL(None).free
        self._free.argtypes = [ctypes.c_void_p]
        self._lock = threading.Lock()
        self._pending: dict[int, list[str]] = {}
        self._keys = itertools.count(1)
        self._callback = _LogCallback(self._on_log)  # held: the library keeps only the pointer
        self._modsec = self._lib.msc_init()
        self._lib.msc_set_connector_info(self._modsec, b"soryoku-shield")
        self._lib.msc_set_log_cb(self._modsec, self._callback)
        self._rules = self._lib.msc_create_rules_set()
        self._add(_BASE_CONFIG, "base configuration")
        self._add_file(setup)
        for path in sorted(rules.glob("REQUEST-*.conf")):
            self._add_file(path)
        if extra_rules:
            self._add(extra_rules.encode(), "extra_rules")

    @classmethod
    def from_options(cls, options: CrsOptions) -> CrsEngine:
        """The engine a config's ``crs`` section asks for; a ConfigError saying why when it cannot run."""
        setup, rules = options.setup or DEFAULT_SETUP, options.rules or DEFAULT_RULES
        status = crs_status(setup, rules)
        if not status.available:
            from soryoku.core.errors import ConfigError

            raise ConfigError(
                f"shield crs: the OWASP CRS engine was asked for but is unavailable: {status.reason}"
            )
        return cls(setup, rules, options.extra_rules)

    def _fail(self, where: str, error: ctypes.c_char_p) -> None:
        from soryoku.core.errors import ConfigError

        detail = (error.value or b"").decode(errors="replace").strip()
        self.close()
        raise ConfigError(f"shield CRS engine: ModSecurity rejected {where}: {detail}")

    def _add(self, text: bytes, where: str) -> None:
        error = ctypes.c_char_p()
        if self._lib.msc_rules_add(self._rules, text, ctypes.byref(error)) < 0:
            self._fail(where, error)

    def _add_file(self, path: Path) -> None:
        error = ctypes.c_char_p()
        if self._lib.msc_rules_add_file(self._rules, str(path).encode(), ctypes.byref(error)) < 0:
            self._fail(str(path), error)

    def _on_log(self, data: int | None, message: int | None) -> None:
        if data is None or message is None:
            return
        text = ctypes.string_at(message).decode(errors="replace")
        with self._lock:
            found = self._pending.get(data)
        if found is not None:
            found.append(text)

    def evaluate(self, view: RequestView, client_ip: str) -> CrsVerdict:
        """Run the request phases (connection, URI, headers, body) over ``view``."""
        if self._modsec is None:
            raise RuntimeError("CrsEngine.evaluate after close()")
        key = next(self._keys)
        messages: list[str] = []
        with self._lock:
            self._pending[key] = messages
        lib = self._lib
        transaction = lib.msc_new_transaction(self._modsec, self._rules, ctypes.c_void_p(key))
        try:
            lib.msc_process_connection(transaction, (client_ip or "0.0.0.0").encode(), 0, b"0.0.0.0", 0)
            uri = view.raw_path or view.path
            if view.query_string:
                uri = f"{uri}?{view.query_string}"
            lib.msc_process_uri(
                transaction, uri.encode(errors="surrogateescape"), view.method.encode(), b"1.1"
            )
            for name, value in view.headers:
                raw_name, raw_value = name.encode("latin-1", "replace"), value.encode(errors="replace")
                lib.msc_add_n_request_header(transaction, raw_name, len(raw_name), raw_value, len(raw_value))
            lib.msc_process_request_headers(transaction)
            if view.body:
                lib.msc_append_request_body(transaction, view.body, len(view.body))
            lib.msc_process_request_body(transaction)
            intervention = _Intervention(status=200)
            intervened = (
                lib.msc_intervention(transaction, ctypes.byref(intervention)) and intervention.disruptive
            )
            for pointer in (intervention.url, intervention.log):
                if pointer:
                    self._free(pointer)
        finally:
            lib.msc_transaction_cleanup(transaction)
            with self._lock:
                self._pending.pop(key, None)
        matches = tuple(m for m in map(_parse, messages) if m is not None)
        return CrsVerdict(intervention.status if intervened else None, matches)

    def close(self) -> None:
        """Free the rules and the ModSecurity instance (idempotent)."""
        if getattr(self, "_rules", None) is not None:
            self._lib.msc_rules_cleanup(self._rules)
            self._rules = None
        if getattr(self, "_modsec", None) is not None:
            self._lib.msc_cleanup(self._modsec)
            self._modsec = None


__all__ = ["DEFAULT_RULES", "DEFAULT_SETUP", "CrsEngine", "CrsMatch", "CrsStatus", "CrsVerdict", "crs_status"]
