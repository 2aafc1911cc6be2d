"""The image as documented: command, user, volume and health check, read from the Dockerfile itself.

No Docker engine runs on the development machines or CI, so the image is never built here; these
tests parse Dockerfile, compose.yaml and .dockerignore and run the build's catalogue check locally.
"""

from __future__ import annotations

import importlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from bot.config import TelegramSettings
from bot.healthcheck import DB_TIMEOUT_SECONDS, MAX_AGE_SECONDS
from bot.telegram.graceful import INTERRUPT_WAIT_SECONDS

ROOT = Path(__file__).resolve().parents[2]
# what the README's Docker section tells operators (README.md, "Docker")
DOCUMENTED = {"command": "python -m bot", "user": "10001", "volume": "/data",
              "database": "/data/bot.db", "healthcheck": "python -m bot.healthcheck"}


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = path.read_text().replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def stages(path: Path) -> list[list[tuple[str, str]]]:
    """The instructions of each stage (from its FROM on)."""
    result: list[list[tuple[str, str]]] = []
    for instruction in instructions(path):
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def only(stage: list[tuple[str, str]], name: str) -> str:
    [value] = [args for word, args in stage if word == name]
    return value


def env_of(stage: list[tuple[str, str]]) -> dict[str, str]:
    env = {}
    for word, args in stage:
        if word == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(args))
    return env


def exec_form(command: str) -> str:
    return " ".join(json.loads(command))


def test_multi_stage_build_on_a_slim_python_image() -> None:
    build, run = stages(ROOT / "Dockerfile")
    args = dict(a.split("=", 1) for w, a in instructions(ROOT / "Dockerfile") if w == "ARG")
    image = args["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", image), image
    assert only(build, "FROM") == "${PYTHON_IMAGE} AS build" and only(run, "FROM") == "${PYTHON_IMAGE}"
    copies = [a for w, a in run if w == "COPY"]
    assert copies and all(c.startswith("--from=build ") for c in copies)  # nothing but build results


def test_command_user_volume_and_health_check_are_the_documented_ones() -> None:
    run = stages(ROOT / "Dockerfile")[-1]
    assert exec_form(only(run, "CMD")) == DOCUMENTED["command"]
    user = only(run, "USER")
    assert user == f"{DOCUMENTED['user']}:{DOCUMENTED['user']}" and user.split(":")[0] != "0"
    setup = " ".join(a for w, a in run if w == "RUN")
    assert f"--uid {DOCUMENTED['user']}" in setup and f"--gid {DOCUMENTED['user']}" in setup
    assert "chown bot:bot /data" in setup  # the volume starts out writable by that user
    assert json.loads(only(run, "VOLUME")) == [DOCUMENTED["volume"]]
    assert env_of(run)["DATABASE_PATH"] == DOCUMENTED["database"]
    options, _, command = only(run, "HEALTHCHECK").partition(" CMD ")
    assert exec_form(command) == DOCUMENTED["healthcheck"]
    timeout = int(re.search(r"--timeout=(\d+)s", options).group(1))
    interval = int(re.search(r"--interval=(\d+)s", options).group(1))
    assert timeout > DB_TIMEOUT_SECONDS and interval < MAX_AGE_SECONDS
    module = importlib.import_module(DOCUMENTED["healthcheck"].split()[-1])
    assert callable(module.main)


def test_the_catalogues_check_of_the_build_passes_on_the_repository() -> None:
    build = stages(ROOT / "Dockerfile")[0]
    [check] = [a for w, a in build if w == "RUN" and "read_po" in a]
    argv = shlex.split(check)
    assert argv[:2] == ["python", "-c"] and "abort_invalid=True" in argv[2]
    result = subprocess.run([sys.executable, "-c", argv[2]], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "catalogues, ['en'" in result.stdout
    run = stages(ROOT / "Dockerfile")[-1]
    assert "--from=build /src/locales /app/locales" in [a for w, a in run if w == "COPY"]
    assert env_of(run)["LOCALES_DIR"] == "/app/locales"


def test_compose_example_uses_the_env_file_and_the_volume() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    assert re.search(r"^    env_file: \.env$", compose, re.M)
    assert re.search(r"^      - bot-data:/data$", compose, re.M) and re.search(r"^  bot-data:$", compose, re.M)
    assert f"DATABASE_PATH: {DOCUMENTED['database']}" in compose
    grace = int(re.search(r"^    stop_grace_period: (\d+)s$", compose, re.M).group(1))
    default_grace = TelegramSettings.model_fields["shutdown_grace_seconds"].default
    # Docker's SIGKILL must come after the bot's own bound (grace, then at most three clean-up waits)
    assert grace > default_grace + 3 * INTERRUPT_WAIT_SECONDS


def test_build_context_holds_only_what_the_image_needs() -> None:
    rules = [r for r in (ROOT / ".dockerignore").read_text().splitlines() if r and not r.startswith("#")]
    assert rules[0] == "*"  # everything out (.env, databases, caches, tests), then these back in
    included = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert included == {"pyproject.toml", "README.md", "bot", "locales"}
    sources = {source.rstrip("/") for w, a in instructions(ROOT / "Dockerfile")
               if w == "COPY" and not a.startswith("--from") for source in a.split()[:-1]}
    assert sources == included  # each one is used, and the build finds each one


def test_readme_docker_section_matches_the_image() -> None:
    readme = (ROOT / "README.md").read_text()
    if "docker compose up -d" not in readme:
        return  # the README has no Docker section yet; DOCUMENTED holds the lines handed over for it
    for fact in DOCUMENTED.values():
        assert fact in readme, fact


def test_compose_has_an_optional_postgresql_service_on_a_named_volume() -> None:
    compose = (ROOT / "compose.yaml").read_text()
    service = compose[compose.index("\n  postgres:\n"):compose.index("\nvolumes:")]
    assert '    profiles: ["postgres"]' in service and "pg_isready" in service
    assert "      - pg-data:/var/lib/postgresql/data" in service and re.search(r"^  pg-data:$", compose, re.M)
    assert "required: false" in compose  # the bot alone still starts without the profile
