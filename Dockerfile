# smm-bot: `python -m bot` as an unprivileged user, its SQLite database on the /data volume.
#   docker build -t smm-bot .        or, with compose.yaml and a filled-in .env:  docker compose up -d
# tests/deploy/test_dockerfile.py checks the command, user, volume and health check below.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: a virtualenv with the dependencies and the bot, and the checked catalogues ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# dependencies first, read from pyproject.toml: this layer is reused until they change
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt
COPY bot ./bot
RUN pip install --no-deps .
# "Compiled" locales: the bot reads locales/*/LC_MESSAGES/*.po at run time with Babel (bot/i18n.py),
# so there are no .mo files to build. Compiling here means checking: the build fails if a
# catalogue does not parse strictly, or if the catalogues do not load into a Translator with English.
COPY locales ./locales
RUN python -c "from pathlib import Path; from babel.messages.pofile import read_po; \
files = sorted(Path('locales').glob('*/LC_MESSAGES/*.po')); \
[read_po(f.open('rb'), abort_invalid=True) for f in files]; \
from bot.i18n import Translator; t = Translator.load(Path('locales')); \
assert files and 'en' in t.languages, 'no English catalogues'; \
print(len(files), 'catalogues,', t.languages)"

# ---- run: the virtualenv and the catalogues, nothing else ----
FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/data/bot.db \
    LOCALES_DIR=/app/locales \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid bot --home-dir /app --no-create-home --shell /usr/sbin/nologin bot \
    && mkdir -p /data \
    && chown bot:bot /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/locales /app/locales
WORKDIR /app
USER 10001:10001
# the database, its WAL files and the heartbeat file live here: keep it on a volume
VOLUME ["/data"]
# webhook mode only (WEBHOOK_URL set): WEBHOOK_PORT, behind a TLS-terminating reverse proxy
EXPOSE 8080
# SIGTERM starts the graceful stop (SHUTDOWN_GRACE_SECONDS); give `docker stop -t` more than that
STOPSIGNAL SIGTERM
# healthy = the bot touched its heartbeat within 3 minutes and the database opens read-only
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
CMD ["python", "-m", "bot"]
