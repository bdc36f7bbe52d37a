"""A deterministic generator of Council-style documents for the scale benchmark.

It recombines the passages of the sample corpus (parsed by the real ingest stage) into new
documents with their own numbers, dates, titles, addressee blocks, numbered points, "Actie N"
sections and later progress reports that name the documents they report on, varying actors, years
and numbers, so that every stage (structure, obligations, deadlines, evidence linking) has real work.
The same seed and size always give the same files.

    python benchmarks/corpus_generator.py OUT_DIR --passages 100000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from conclusio.calendar_words import DUTCH_MONTHS  # noqa: E402
from conclusio.records import Passage  # noqa: E402

# Bodies that stand in for one another in a recombined sentence (same grammatical role, other name).
ACTOR_SWAPS = (
    ("Europol", "Eurojust", "Frontex", "Cepol", "het EUDA", "het EOM", "ENISA", "de AMLA"),
    ("de lidstaten", "de lidstaten", "de Commissie", "het voorzitterschap"),
)
TOPICS = (
    "drugshandel in havens", "witwassen van geld", "vuurwapenhandel", "mensensmokkel", "cybercriminaliteit",
    "milieucriminaliteit", "ronselen van jongeren door criminele netwerken", "drugsprecursoren",
    "corruptie in logistieke ketens", "financiële onderzoeken", "handel in cultuurgoederen",
    "georganiseerde vermogenscriminaliteit", "online kinderuitbuiting", "terrorismefinanciering",
)
ADDRESSEE_BLOCKS = (
    "VERZOEKT DE LIDSTATEN:", "VERZOEKT DE COMMISSIE:", "verzoekt de Raad Europol:",
    "VERZOEKT DE LIDSTATEN EN DE COMMISSIE OM:", "ROEPT EUROJUST EN EUROPOL OP:", "NODIGT HET VOORZITTERSCHAP UIT:",
)
PROGRESS_SENTENCES = (
    "In {month} {year} heeft {actor} het verslag over {topic} gepubliceerd.",
    "De werkzaamheden aan deze actie zijn in {month} {year} begonnen en lopen nog.",
    "{actor_cap} zal naar verwachting in het tweede kwartaal van {next_year} een evaluatie voorleggen.",
    "Het netwerk voor {topic} werd in {month} {year} opgericht.",
    "Deze actie is afgerond: {actor} heeft in {month} {year} de richtsnoeren vastgesteld.",
    "Over deze actie is nog geen informatie beschikbaar.",
)
_YEAR = re.compile(r"\b(20[12]\d)\b")


@dataclass
class SourcePool:
    """The sample corpus cut into the kinds of passage a generated document is built from."""

    points: list[Passage] = field(default_factory=list)  # numbered points under an addressee block
    paragraphs: list[Passage] = field(default_factory=list)  # running text
    commitments: list[Passage] = field(default_factory=list)  # running text that commits ("zal", "zullen")
    actions: list[tuple[str, list[Passage]]] = field(default_factory=list)  # "Actie N: title" -> its passages


def source_pool(corpus_dir: Path) -> SourcePool:
    """The sample documents parsed by the real ingest stage and sorted into building blocks."""
    import ingest

    pool = SourcePool()
    for path in sorted(corpus_dir.glob("*.txt")):
        document = ingest.parse_file(path)
        current_action: tuple[str, list[Passage]] | None = None
        for passage in document.passages:
            if passage.kind == "footnote" or len(passage.text) < 60:
                if passage.kind == "heading" and re.match(r"\**Actie \d+", passage.text):
                    current_action = (re.sub(r"^\**Actie \d+\s*[:.]?\s*|\**$", "", passage.text), [])
                    pool.actions.append(current_action)
                continue
            text = _clean(passage.text)
            if passage.addressees and re.match(r"^\d+[a-z]?$", passage.paragraph or ""):
                pool.points.append(passage)
            elif current_action is not None and passage.section_path and "Actie" in " ".join(passage.section_path):
                current_action[1].append(passage)
            elif re.search(r"\b(zal|zullen)\b", text):
                pool.commitments.append(passage)
            else:
                pool.paragraphs.append(passage)
    pool.actions = [(title, body) for title, body in pool.actions if body and title]
    return pool


def _clean(text: str) -> str:
    """One line of plain text: no Markdown emphasis or footnote marks, which would need their notes."""
    text = re.sub(r"<sup>.*?</sup>", "", text)
    text = re.sub(r"\*+", "", text)
    return " ".join(text.split())


class Generator:
    """Writes documents until the requested number of passages is reached."""

    def __init__(self, pool: SourcePool, seed: int):
        self.pool = pool
        self.random = random.Random(seed)
        self.numbers: list[tuple[str, date, str, int]] = []  # (doc number, date, title, actions) written so far

    def document(self, index: int) -> tuple[str, str, int]:
        """(file name, text, passage estimate) of the index-th document."""
        r = self.random
        if self.numbers and index % 5 == 4:
            return self._progress_report(index)
        day = date(2022, 1, 1) + timedelta(days=r.randrange(0, 5 * 365))
        number = f"{r.randrange(5000, 17999)}/{day.year % 100:02d}"
        topic = r.choice(TOPICS)
        title = f"Conclusies van de Raad over {topic}" if index % 3 else f"Actieplan van de Commissie inzake {topic}"
        lines = _header("RESULTAAT BESPREKINGEN", number, day, title)
        lines += [self._swap(p.text, day) for p in r.sample(self.pool.paragraphs, k=min(4, len(self.pool.paragraphs)))]
        count, points = 8, 0
        for block in r.sample(ADDRESSEE_BLOCKS, k=r.randint(2, 4)):
            lines.append(block)
            count += 1
            for _ in range(r.randint(3, 8)):
                points += 1
                lines.append(f"{points}. {self._swap(r.choice(self.pool.points).text, day)}")
                count += 1
        actions = 0
        if index % 3 == 0:
            for n, (action_title, body) in enumerate(r.sample(self.pool.actions, k=min(6, len(self.pool.actions))), 1):
                lines.append(f"Actie {n}: {_clean(action_title)}")
                lines += [self._swap(p.text, day) for p in body[:3]]
                count += 1 + min(3, len(body))
                actions = n
        lines += [self._swap(p.text, day) for p in r.sample(self.pool.commitments, k=min(3, len(self.pool.commitments)))]
        count += 3
        self.numbers.append((number, day, title, actions))
        return f"gen_{index:05d}.txt", "\n\n".join(lines) + "\n", count

    def _progress_report(self, index: int) -> tuple[str, str, int]:
        """A later note reporting on an earlier document, section by section, naming it by number."""
        r = self.random
        number, reported_day, reported_title, actions = r.choice(self.numbers[-40:])
        day = reported_day + timedelta(days=r.randrange(200, 700))
        title = f"Voortgangsverslag over de uitvoering van doc. {number}"
        lines = _header("NOTA", f"{r.randrange(5000, 17999)}/{day.year % 100:02d}", day, title, previous=number,
                        limite=True)
        lines.append(f"Dit verslag beschrijft de stand van uitvoering van doc. {number} ({reported_title}).")
        count = 9
        for n in range(1, max(actions, 3) + 1):
            lines.append(f"Actie {n}")
            for _ in range(r.randint(1, 3)):
                lines.append(self._progress_sentence(day))
                count += 1
            count += 1
        return f"gen_{index:05d}.txt", "\n\n".join(lines) + "\n", count

    def _progress_sentence(self, day: date) -> str:
        r = self.random
        actor = r.choice(ACTOR_SWAPS[0])
        past = day - timedelta(days=r.randrange(30, 300))
        return r.choice(PROGRESS_SENTENCES).format(
            actor=actor, actor_cap=actor[:1].upper() + actor[1:], topic=r.choice(TOPICS),
            month=DUTCH_MONTHS[past.month - 1], year=past.year, next_year=day.year + 1,
        )

    def _swap(self, text: str, day: date) -> str:
        """The passage with other bodies and with its years moved to around the document's date."""
        text = _clean(text)
        for group in ACTOR_SWAPS:
            present = [name for name in group if name in text]
            if present and self.random.random() < 0.5:
                text = text.replace(present[0], self.random.choice(group), 1)
        shift = day.year - 2024
        return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def _header(kind: str, number: str, day: date, title: str, *, previous: str | None = None,
            limite: bool = False) -> list[str]:
    """The Council front matter: place and date, the document's number, classification, kind and fields."""
    lines = [f"Brussel, {day.day} {DUTCH_MONTHS[day.month - 1]} {day.year} (OR. en)", number]
    if limite:
        lines.append("LIMITE")
    sender = "het voorzitterschap" if kind == "NOTA" else "het secretariaat-generaal van de Raad"
    lines += [kind, f"van: {sender}", "aan: de delegaties"]
    if previous:
        lines.append(f"nr. vorig doc.: {previous}")
    return [*lines, f"Betreft: {title}"]


def generate(corpus_dir: Path, out_dir: Path, passages: int, seed: int = 7) -> list[Path]:
    """Write documents into ``out_dir`` until about ``passages`` passages are reached; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = Generator(source_pool(corpus_dir), seed)
    written, total, index = [], 0, 0
    while total < passages:
        name, text, count = generator.document(index)
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
        total += count
        index += 1
    return written


def generate_points_document(corpus_dir: Path, out_dir: Path, points: int = 50, seed: int = 8) -> Path:
    """One set of Council conclusions with ``points`` numbered points, dated mid-2026: the document a
    benchmark adds to a full store."""
    out_dir.mkdir(parents=True, exist_ok=True)
    generator = Generator(source_pool(corpus_dir), seed)
    day = date(2026, 6, 1)
    lines = _header("RESULTAAT BESPREKINGEN", "9999/26", day, "Conclusies van de Raad over de aanpak van ondermijning")
    blocks = ADDRESSEE_BLOCKS
    for n in range(1, points + 1):
        if n % 10 == 1:
            lines.append(blocks[(n // 10) % len(blocks)])
        lines.append(f"{n}. {generator._swap(generator.random.choice(generator.pool.points).text, day)}")
    path = out_dir / "conclusies_ondermijning.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--passages", type=int, default=10_000, help="about how many passages (default 10000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpora")
    args = parser.parse_args()
    files = generate(args.corpus, args.out_dir, args.passages, args.seed)
    print(f"wrote {len(files)} documents to {args.out_dir}")


if __name__ == "__main__":
    main()
