"""The English catalogue is complete, not fuzzy, compiled, and in step with the sources.

German is the source language: every msgid is German, and English is the one translation
of the staff interface. A new ``_("…")`` or ``{% translate %}`` without an English entry
fails here; run ``uv run teilhabe makemessages -l en --no-obsolete`` in ``src/teilhabe``,
translate, and ``compilemessages``.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import teilhabe

SOURCES = Path(teilhabe.__file__).resolve().parent
CATALOGUE = SOURCES / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
HOW_TO_FIX = (
    "run `uv run teilhabe makemessages -l en --no-obsolete` in src/teilhabe, translate, "
    "then `TEILHABE_ENVIRONMENT=development uv run teilhabe compilemessages`"
)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file, without the header and without obsolete (#~) entries.

    Enough of the format for what makemessages writes: comments, flags, msgctxt, msgid,
    msgid_plural, msgstr and msgstr[n], each possibly continued on following lines.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("", 0)

    def finish() -> None:
        if current is not None and (current.msgid or current.msgctxt):
            entries.append(current)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstrs:
                finish()
                current = None
            if current is None:
                current = Entry(line=number)
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value: str = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if current is None or (current.msgstrs and keyword in {"msgid", "msgctxt"}):
                finish()
                current = Entry(line=number)
        assert current is not None
        if line.startswith('"'):
            name, index = target
        elif keyword.startswith("msgstr"):
            name, index = "msgstr", int(keyword[7:-1]) if "[" in keyword else 0
        else:
            name, index = keyword, 0
        target = (name, index)
        if name == "msgstr":
            current.msgstrs[index] = current.msgstrs.get(index, "") + value
        elif name == "msgid":
            current.msgid += value
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing; {HOW_TO_FIX}"
    return parse_po(CATALOGUE)


def test_the_catalogue_has_entries(catalogue: list[Entry]) -> None:
    assert len(catalogue) > 100


def test_every_message_is_translated(catalogue: list[Entry]) -> None:
    untranslated = [
        str(e) for e in catalogue if not e.msgstrs or not all(s for s in e.msgstrs.values())
    ]
    assert not untranslated, "Untranslated messages:\n" + "\n".join(untranslated)


def test_no_message_is_fuzzy(catalogue: list[Entry]) -> None:
    fuzzy = [str(e) for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, "Fuzzy messages (check the translation, then drop the flag):\n" + "\n".join(
        fuzzy
    )


def test_the_compiled_catalogue_matches_the_translations(catalogue: list[Entry]) -> None:
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue:
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            found = compiled._catalog.get(msgid)  # type: ignore[attr-defined]
            if found != entry.msgstrs.get(0):
                stale.append(str(entry))
        else:
            for index, text in entry.msgstrs.items():
                if compiled._catalog.get((msgid, index)) != text:  # type: ignore[attr-defined]
                    stale.append(str(entry))
    assert not stale, f"django.mo is older than django.po; {HOW_TO_FIX}:\n" + "\n".join(stale)


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def test_the_catalogue_is_in_step_with_the_sources(catalogue: list[Entry], tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing; install it with apt-get install -y gettext")
    # makemessages writes into the tree it scans, so it scans a copy.
    copy = tmp_path / "teilhabe"
    shutil.copytree(SOURCES, copy, ignore=shutil.ignore_patterns("static", "locale", "__pycache__"))
    (copy / "locale").mkdir()
    with _working_directory(copy), override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = {e.key for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in catalogue}
    missing = sorted(repr(key[1]) for key in fresh - committed)
    obsolete = sorted(repr(key[1]) for key in committed - fresh)
    assert not missing, f"Missing from django.po: {missing}; {HOW_TO_FIX}"
    assert not obsolete, f"No longer in the sources, still in django.po: {obsolete}; {HOW_TO_FIX}"


def test_the_parser_reads_continuations_flags_and_plurals(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        "#: a.py:1\n#, fuzzy, python-format\n"
        'msgid ""\n"Zwei "\n"Zeilen %(n)s"\nmsgstr "Two lines %(n)s"\n\n'
        'msgctxt "Monat"\nmsgid "Mai"\nmsgid_plural "Mais"\nmsgstr[0] "May"\nmsgstr[1] ""\n\n'
        '#~ msgid "alt"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    first, second = parse_po(po)
    assert first.msgid == "Zwei Zeilen %(n)s"
    assert first.flags == {"fuzzy", "python-format"}
    assert first.msgstrs == {0: "Two lines %(n)s"}
    assert second.key == ("Monat", "Mai", "Mais")
    assert second.msgstrs == {0: "May", 1: ""}
