"""The vendored browser libraries match their pins (tools/vendor_js.py), with their licences."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _tool():
    spec = importlib.util.spec_from_file_location("vendor_js", ROOT / "tools" / "vendor_js.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["vendor_js"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_pinned_package_is_vendored_with_its_licence(capsys):
    tool = _tool()
    assert tool.check() == 0, capsys.readouterr().out
    for pin in tool.PINS:
        stamp = json.loads((tool.VENDOR / pin.folder / "VERSION.json").read_text())
        assert stamp == {
            "package": pin.package,
            "version": pin.version,
            "integrity": pin.integrity,
            "licence": pin.licence,
        }
        assert "Permission is hereby granted" in (tool.VENDOR / pin.folder / "LICENSE").read_text()


def test_check_names_a_missing_file(tmp_path, monkeypatch, capsys):
    tool = _tool()
    monkeypatch.setattr(tool, "VENDOR", tmp_path)
    assert tool.check() == 1
    assert "not vendored" in capsys.readouterr().out
