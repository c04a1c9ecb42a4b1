# Samverkansboten: a two-stage image. The build stage installs the locked dependencies and the
# project (a wheel, not editable) into /opt/venv; the final stage has only Python, that venv
# and a non-root user. Configuration comes from the environment at run time (README,
# "Configuration"); no secret is baked into the image. `samverkan run` migrates the database
# at every start before it serves.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# Dependencies first, from the lock file alone, so that a code change reuses this layer.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY storage ./storage
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps . \
 && /opt/venv/bin/samverkan roster check

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SAMVERKAN_HTTP_HOST=0.0.0.0 \
    SAMVERKAN_HTTP_PORT=8080 \
    SAMVERKAN_DATABASE_URL=sqlite+aiosqlite:////data/samverkan.db
RUN useradd --system --uid 10001 --user-group --home-dir /data --create-home samverkan
COPY --from=build /opt/venv /opt/venv
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
# Ready only when the database and every configured platform answer (GET /healthz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["samverkan", "health"]
ENTRYPOINT ["samverkan"]
CMD ["run"]
