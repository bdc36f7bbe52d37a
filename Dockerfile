# Conclusio on CPU: torch's CPU wheel first (the default wheel pulls CUDA), then the project.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1

WORKDIR /app
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY conclusio ./conclusio
COPY ingest ./ingest
COPY nlp ./nlp
COPY index ./index
COPY tracking ./tracking
COPY evaluation ./evaluation
COPY application ./application
COPY ui ./ui
RUN pip install .

# Offline by default: the embedder falls back to the packaged all-MiniLM-L6-v2. Set
# HF_HUB_OFFLINE=0 (and CONCLUSIO_EMBED_MODEL) to download a multilingual model instead.
EXPOSE 8501
CMD ["conclusio", "ui", "--address", "0.0.0.0", "--port", "8501"]
