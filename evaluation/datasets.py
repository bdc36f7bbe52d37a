"""The development sets the evaluation package ships and finds by itself; library code never defaults to them.

- ``deadline_cases.jsonl``: written deadline expressions with the dates they stand for (every row of
  shared/spec/deadlines.md, plus traps).
- ``search_dev_queries.jsonl``: 45 queries tuned on, judged by pooling.
- ``search_check_queries.jsonl``: 24 queries written blind to the tuning, then used to choose the fusion.
- ``similar_dev_cases.jsonl``: drafts (light edits, paraphrases, drafts translated from English,
  German and French) with their source passage.
- ``search_blind_queries.jsonl`` (46) and ``similar_blind_cases.jsonl`` (34): written by someone who had
  not seen the code or the tuning; copied in after the tuning of issue 12 was done, run once, and used
  only to choose between fusion candidates fixed beforehand. Never tune on them.
- ``actionplans/``: action plans with action tables and a progress-report excerpt, written for this project
  by two writers who had not seen the code, with their obligation gold (``*.gold.jsonl``); one folder per
  rendering (``md/``, ``docx/``, ``pdf/``), since ``conclusio eval obligations --corpus`` reads one rendering
  of each document (README there).

The gold of the sample corpus lives outside the repository (``../shared/eval``) and is always passed in.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEADLINE_CASES = DATA_DIR / "deadline_cases.jsonl"
SEARCH_DEV_QUERIES = DATA_DIR / "search_dev_queries.jsonl"
SEARCH_CHECK_QUERIES = DATA_DIR / "search_check_queries.jsonl"
SIMILAR_DEV_CASES = DATA_DIR / "similar_dev_cases.jsonl"
SEARCH_BLIND_QUERIES = DATA_DIR / "search_blind_queries.jsonl"
SIMILAR_BLIND_CASES = DATA_DIR / "similar_blind_cases.jsonl"
ACTION_PLANS = DATA_DIR / "actionplans"


def query_sets() -> list[Path]:
    """Every search query set shipped here (for benchmarks that need many varied queries)."""
    return sorted(DATA_DIR.glob("search_*queries.jsonl"))


def draft_sets() -> list[Path]:
    """Every prior-wording draft set shipped here."""
    return sorted(DATA_DIR.glob("similar_*cases.jsonl"))
