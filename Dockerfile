FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md alembic.ini babel.cfg ./
COPY events ./events
COPY alembic ./alembic
COPY templates ./templates
COPY static ./static
RUN pip install --no-cache-dir -e .
RUN useradd --create-home events && mkdir -p /data && chown events /data
USER events
EXPOSE 8000
CMD ["events", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
