"""PDF documents with Chinese text (labels, copies of record, reports), built with reportlab.

A copy of record must look the same everywhere, so a CJK TrueType font is embedded when the
machine has one (Debian: fonts-wqy-zenhei; `WUFEI_CJK_FONT` names another file). Without one,
reportlab's built-in Adobe CID font STSong-Light is used: the text stays correct and searchable,
but its glyphs come from the reader's fonts.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "WufeiCJK"
CID_FALLBACK = "STSong-Light"
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)


@cache
def cjk_font_file() -> tuple[str, int] | None:
    """The TrueType file (and face index) Chinese text is set in, if the machine has one."""
    configured = os.environ.get("WUFEI_CJK_FONT")
    candidates = ((configured, 0),) if configured else CANDIDATES
    return next(((path, index) for path, index in candidates if Path(path).exists()), None)


@cache
def cjk_font() -> str:
    """Register and return the name of the font to set Chinese text in."""
    found = cjk_font_file()
    if found is not None:
        pdfmetrics.registerFont(TTFont(FONT_NAME, found[0], subfontIndex=found[1]))
        return FONT_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def font_is_embedded() -> bool:
    return cjk_font() == FONT_NAME
