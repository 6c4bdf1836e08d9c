"""Every shipped translation is complete, and the compiled catalogs match their sources."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "wufei"
PO_FILES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))

ENTRY = re.compile(
    r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d\])? (?:".*"\n?)+)+)',
    re.M,
)


def _unquote(block: str) -> str:
    return "".join(ast.literal_eval(f'"{part}"') for part in re.findall(r'"(.*)"', block))


def _entries(po: Path) -> list[tuple[bool, str, str]]:
    """(fuzzy, msgid, first msgstr) for every entry but the header."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        match = ENTRY.search(block + "\n")
        if match is None:
            continue
        msgid = _unquote(match.group(1))
        if not msgid:
            continue
        flags = [line for line in block.splitlines() if line.startswith("#,")]
        fuzzy = any("fuzzy" in line for line in flags)
        found.append((fuzzy, msgid, _unquote(match.group(2).split("msgstr", 2)[1])))
    return found


def test_every_app_with_a_user_interface_ships_chinese() -> None:
    apps = {po.parts[-5] for po in PO_FILES}
    assert {"web"} <= apps


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parts[-5])
def test_translation_is_complete_and_compiled(po: Path) -> None:
    entries = _entries(po)
    assert entries, f"{po} has no entries"
    untranslated = [msgid for fuzzy, msgid, msgstr in entries if fuzzy or not msgstr]
    assert not untranslated, f"untranslated or fuzzy in {po}: {untranslated[:5]}"

    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run make messages"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [msgid for _f, msgid, msgstr in entries if compiled.gettext(msgid) != msgstr]
    assert not stale, f"{mo} is older than {po.name}; run make messages: {stale[:5]}"


def test_a_string_means_the_same_in_every_app() -> None:
    """Django takes the first app's translation of a msgid; different apps must agree."""
    meanings: dict[str, dict[str, str]] = {}
    for po in PO_FILES:
        for _fuzzy, msgid, msgstr in _entries(po):
            meanings.setdefault(msgid, {})[po.parts[-5]] = msgstr
    conflicts = {m: apps for m, apps in meanings.items() if len(set(apps.values())) > 1}
    assert not conflicts, f"translated differently across apps: {conflicts}"
