"""The README and .env.example stay true: every setting documented, the console script works."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot import config

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = sorted(field.upper() for cls in config._AREAS.values() for field in cls.model_fields)


@pytest.mark.parametrize("document", ["README.md", ".env.example"])
def test_every_setting_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    assert [name for name in SETTINGS if name not in text] == []


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if "pytest" in line)
    assert command.strip() in readme


def test_console_script_is_the_same_program(tmp_path):
    script = Path(sys.executable).parent / "smm-bot"
    if not script.exists():
        pytest.skip("not installed as a package")
    env = {"PATH": str(script.parent), "BOT_TOKEN": "123:short-secret-value"}
    proc = subprocess.run([str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path, env=env)
    assert proc.returncode == 2 and "BOT_TOKEN" in proc.stderr
    assert "short-secret-value" not in proc.stderr + proc.stdout
