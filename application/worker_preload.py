"""What every ingest worker loads before its first task, loaded once in the forkserver that forks the workers.

``application.workers`` starts its processes from a forkserver that imports this module first: the Dutch
lemma table (spacy-lookups-data, about 1 s to load) and the language profiles (about 0.5 s) are then in
every worker from its start, instead of each worker loading them again (their loaders cache them per process).
"""

from __future__ import annotations

import application.pipeline  # noqa: F401  (the code every task runs)
from ingest.metadata import detect_language
from nlp.verbs import is_known_lemma

detect_language("Dit is een zin in het Nederlands, gelezen om de taalprofielen te laden.")
is_known_lemma("zijn")
