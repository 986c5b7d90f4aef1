# The study bot: slim Python, a non-root user, the SQLite database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/cloudnotes.db \
    HEARTBEAT_PATH=/tmp/cloudnotes-heartbeat

WORKDIR /app

# Dependencies first, from pyproject.toml alone: a code or knowledge edit reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code and the knowledge (shipped inside the package: bot/knowledge).
COPY README.md ./
COPY knowledge ./knowledge
COPY bot ./bot
RUN pip install --no-cache-dir --no-deps . \
    && useradd --create-home --uid 10001 studybot \
    && mkdir -p /data \
    && chown studybot:studybot /data

USER 10001
VOLUME ["/data"]

# Healthy only while the bot is connected (it rewrites the heartbeat every 30 s) and its
# daily scheduler has finished a tick within the last ~2 hours (it ticks at least hourly).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health", "--max-age", "90"]

# discord.py closes the gateway and the database on SIGTERM (see bot/discord_app/client.py).
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
