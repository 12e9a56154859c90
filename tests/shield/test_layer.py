"""The Lambda layer zip: built from the installed sources, self-sufficient on a bare interpreter.

The interpreter that imports from the layer is started with ``-I -S`` (no site-packages, no
environment) and its ``sys.path`` is the layer plus the standard library only, so anything the layer
forgot to ship fails the import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from soryoku.core.errors import OutputPathError
from soryoku.shield.layer import build_layer

EVENTS = Path(__file__).parent / "events"
TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "shield-lambda-layer.yaml"

# Keeps the standard library only (with -S there is no site-packages on the path anyway), then puts
# the given folders or zips first.
BARE = """
import json, sys
sys.path[:] = {front!r} + [p for p in sys.path if p and 'site-packages' not in p and p != {src!r}]
{body}
"""


def _bare_python(front: list[str], body: str) -> Any:
    src = str(Path(__file__).resolve().parents[2] / "src")
    code = BARE.format(front=front, src=src, body=body)
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_layer(tmp_path_factory.mktemp("layer") / "shield-layer.zip").path


def test_layer_holds_the_guard_and_its_pure_python_deps_under_python(layer: Path) -> None:
    names = zipfile.ZipFile(layer).namelist()
    assert all(name.startswith("python/") for name in names)
    for required in (
        "python/soryoku/__init__.py",
        "python/soryoku/shield/aws_lambda.py",
        "python/soryoku/shield/rasp/sql.py",
        "python/soryoku/core/errors.py",
        "python/sqlglot/__init__.py",
        "python/crawleruseragents/crawler-user-agents.json",
    ):
        assert required in names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert "python/soryoku/core/__init__.py" not in names  # it would import pydantic
    assert any(n.startswith("python/sqlglot-") and n.endswith("/LICENSE") for n in names)
    assert any(n.startswith("python/crawler_user_agents-") and n.endswith("/LICENSE") for n in names)
    assert not any(
        n.startswith(("python/soryoku/posture", "python/soryoku/cli", "python/boto")) for n in names
    )


def test_layer_build_is_reproducible(layer: Path, tmp_path: Path) -> None:
    again = build_layer(tmp_path / "again.zip")
    assert again.path.read_bytes() == layer.read_bytes()
    assert dict(again.distributions).keys() == {"soryoku", "sqlglot", "crawler-user-agents"}


def test_aws_lambda_guard_imports_from_the_zip_alone(layer: Path) -> None:
    loaded = _bare_python(
        [f"{layer}/python"],  # zipimport reads a folder inside the zip
        "import soryoku, soryoku.shield.aws_lambda\n"
        "from soryoku.shield.rasp.sql import changes_sql_structure\n"
        "attack = changes_sql_structure(\"SELECT 1 FROM t WHERE n = 'x' OR '1'='1'\", \"x' OR '1'='1\")\n"
        "print(json.dumps({'attack': attack,"
        " 'files': sorted({m.__file__ for m in list(sys.modules.values())"
        " if (m.__name__.split('.')[0] in ('soryoku', 'sqlglot')) and getattr(m, '__file__', None)})}))",
    )
    assert loaded["attack"] is True
    assert loaded["files"] and all(f.startswith(str(layer)) for f in loaded["files"])


def _event(kind: str, **query: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{kind}.json").read_text(encoding="utf-8"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/items"
    event["queryStringParameters"] = query
    event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
    return event


def test_the_templates_example_function_runs_on_the_extracted_layer(layer: Path, tmp_path: Path) -> None:
    """Lambda extracts a layer under /opt, so /opt/python holds it; the function is the template's code."""
    opt, task = tmp_path / "opt", tmp_path / "task"
    zipfile.ZipFile(layer).extractall(opt)
    task.mkdir()
    function = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8").replace("!Ref ", "").replace("!Sub ", ""))
    inline = function["Resources"]["ExampleFunction"]["Properties"]["InlineCode"]
    (task / "index.py").write_text(inline.replace('"/tmp/shop.db"', repr(str(tmp_path / "shop.db"))))
    events = [
        _event("apigw_http_v2", name="red shoes"),
        _event("apigw_http_v2", name="x' OR '1'='1"),
        {**_event("apigw_http_v2", name="red shoes"), "headers": {"user-agent": "sqlmap/1.7"}},
    ]
    answers = _bare_python(
        [str(task), str(opt / "python")],
        "import os\nos.environ['SHIELD_MODE'] = 'block'\nimport index\n"
        f"events = json.loads({json.dumps(json.dumps(events))})\n"
        "import soryoku\n"
        "out = [index.handler(e, None) for e in events]\n"
        "print(json.dumps([soryoku.__version__] + [(a['statusCode'], a.get('headers', {}).get("
        "'x-soryoku-block'), a['body']) for a in out]))",
    )
    from soryoku import __version__

    assert answers.pop(0) == __version__  # from the layer's own dist-info METADATA
    assert answers[0] == [200, None, json.dumps({"ids": [1]})]
    assert answers[1][:2] == [403, "sqli:token_structure"]
    assert answers[2][:2] == [403, "bot:security"]


def test_layer_output_must_be_a_file_in_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="is a directory"):
        build_layer(tmp_path)
    with pytest.raises(OutputPathError, match="does not exist"):
        build_layer(tmp_path / "missing" / "layer.zip")
