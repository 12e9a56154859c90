"""Rule discovery, compile failures reported, the compiled-rules cache, externals and meta."""

from __future__ import annotations

from pathlib import Path

import pytest

from soryoku.content.engines.base import ScanTarget
from soryoku.content.engines.yara_engine import YaraEngine
from soryoku.content.engines.yarax_engine import YaraXEngine
from soryoku.content.rules import collect_rules, compile_yara, compile_yarax, default_rules_dir
from soryoku.content.spool import Blob
from soryoku.core.errors import ConfigError

GOOD = 'rule good_rule { meta: author = "me" strings: $a = "needle" condition: $a }'
EXT = 'rule by_name { condition: filename == "evil.php" and extension == "php" }'
BAD = "rule broken { condition: nosuchthing }"


def _target(data: bytes, name: str = "f.txt", ext: str = "txt") -> ScanTarget:
    return ScanTarget(Blob(size=len(data), data=data), name, f"up/{name}", ext, "text")


def _write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yar").write_text(text)
    return folder


def test_collect_namespaces_and_digest(tmp_path: Path) -> None:
    folder = _write(tmp_path / "set", a=GOOD, b=EXT)
    ruleset = collect_rules([folder, folder / "a.yar"])
    assert [f.namespace for f in ruleset.files] == ["set/a.yar", "set/b.yar", "a.yar"]
    assert collect_rules([folder, folder / "a.yar"]).digest == ruleset.digest
    (folder / "b.yar").write_text(EXT + "\n// changed\n")
    assert collect_rules([folder]).digest != collect_rules([folder / "a.yar", folder / "b.yar"]).digest
    with pytest.raises(ConfigError, match="no such file"):
        collect_rules([tmp_path / "missing"])
    with pytest.raises(ConfigError, match=r"no \.yar"):
        collect_rules([_write(tmp_path / "empty")])


def test_failing_file_is_reported_and_the_rest_compiles(tmp_path: Path) -> None:
    ruleset = collect_rules([_write(tmp_path / "set", a=GOOD, bad=BAD)])
    compiled = compile_yara(ruleset, use_cache=False)
    assert compiled.count == 1
    assert [f.namespace for f in compiled.failures] == ["set/bad.yar"]
    assert "nosuchthing" in compiled.failures[0].error
    matches = YaraEngine(compiled).scan(_target(b"a needle in a haystack"))
    assert [(m.rule, m.namespace, m.author) for m in matches] == [("good_rule", "set/a.yar", "me")]
    x = compile_yarax(ruleset, use_cache=False)
    assert [f.namespace for f in x.failures] == ["set/bad.yar"]
    assert [m.rule for m in YaraXEngine(x).scan(_target(b"needle"))] == ["good_rule"]


def test_nothing_compiles_is_a_config_error(tmp_path: Path) -> None:
    ruleset = collect_rules([_write(tmp_path / "set", bad=BAD)])
    with pytest.raises(ConfigError, match="none of the 1 rule files"):
        compile_yara(ruleset, use_cache=False)


def test_cache_on_disk_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORYOKU_CACHE_DIR", str(tmp_path / "cache"))
    import soryoku.content.rules as rules_module

    rules_module._MEMO.clear()
    ruleset = collect_rules([_write(tmp_path / "set", a=GOOD, bad=BAD)])
    first = compile_yara(ruleset)
    assert not first.from_cache
    assert len(list((tmp_path / "cache" / "content").glob("*.yarc"))) == 1
    rules_module._MEMO.clear()
    second = compile_yara(ruleset)
    assert second.from_cache
    assert second.count == 1
    assert [f.namespace for f in second.failures] == ["set/bad.yar"]
    assert [m.rule for m in YaraEngine(second).scan(_target(b"needle"))] == ["good_rule"]
    rules_module._MEMO.clear()
    x1 = compile_yarax(ruleset)
    rules_module._MEMO.clear()
    x2 = compile_yarax(ruleset)
    assert (x1.from_cache, x2.from_cache) == (False, True)
    assert [m.rule for m in YaraXEngine(x2).scan(_target(b"needle"))] == ["good_rule"]


def test_externals_come_from_the_name(tmp_path: Path) -> None:
    compiled = compile_yara(collect_rules([_write(tmp_path / "set", ext=EXT)]), use_cache=False)
    engine = YaraEngine(compiled)
    assert [m.rule for m in engine.scan(_target(b"x", "evil.php", "php"))] == ["by_name"]
    assert engine.scan(_target(b"x", "fine.txt", "txt")) == []
    x = YaraXEngine(compile_yarax(collect_rules([tmp_path / "set"]), use_cache=False))
    assert [m.rule for m in x.scan(_target(b"x", "evil.php", "php"))] == ["by_name"]
    assert x.scan(_target(b"x", "fine.txt", "txt")) == []


def test_default_rules_ship_with_attribution() -> None:
    folder = default_rules_dir()
    assert (folder / "README.md").is_file()
    assert (folder / "bartblaze" / "LICENSE").is_file()
    compiled = compile_yara(collect_rules([folder]), use_cache=False)
    assert compiled.failures == ()
    assert compiled.count >= 2


def test_shared_rule_sets_compile_and_keep_author(shared_dir: Path) -> None:
    webshells = shared_dir / "rules" / "signature-base-webshells" / "yara"
    compiled = compile_yara(collect_rules([webshells]))
    assert compiled.failures == ()
    assert compiled.count > 700
    php = b"<?php @eval($_POST['cmd']); ?>\n" + b"<?php system($_GET['c']); passthru($_REQUEST['x']); ?>\n"
    matches = YaraEngine(compiled).scan(_target(php, "shell.php", "php"))
    assert matches, "a classic one-line PHP webshell should match signature-base"
    assert all(m.author for m in matches), "DRL 1.1: every match keeps the rule's author"
