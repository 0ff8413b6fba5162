# Shift Companion: one image for the web service. Give it a DATABASE_URL (PostgreSQL for a shared
# store, or the SQLite file on the mounted volume) and a SHIFT_SECRET_KEY; it refuses to start
# in production without a real secret.
FROM python:3.11-slim

# Stamp the build (e.g. --build-arg SHIFT_RELEASE=$(git rev-parse --short HEAD)): phones see a
# new release and offer "Update".
ARG SHIFT_RELEASE=unreleased
ENV SHIFT_RELEASE=$SHIFT_RELEASE \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SHIFT_ENV=production \
    DATABASE_URL=sqlite:////srv/shift-companion/data/shift-companion.db

WORKDIR /srv/shift-companion

RUN groupadd --system shift && useradd --system --gid shift --no-create-home shift

# The package is installed in place (editable), so it finds its templates, static files and
# migrations beside it.
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY templates ./templates
COPY static ./static
RUN pip install --editable . \
    && mkdir -p data \
    && chown shift:shift data

USER shift
VOLUME ["/srv/shift-companion/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# Migrate, then serve; behind a reverse proxy that sets X-Forwarded-For and -Proto. Those headers
# are believed only from SHIFT_FORWARDED_ALLOW_IPS: set it to the proxy's address (or network).
ENV SHIFT_FORWARDED_ALLOW_IPS=127.0.0.1
# On SQLite the background jobs (reminders, web push) run inside `serve`; on PostgreSQL run the
# same image a second time with the command `shift-companion worker`.
CMD ["sh", "-c", "shift-companion migrate && exec shift-companion serve --host 0.0.0.0 --port 8000 --proxy-headers"]
