"""A stream's bar chart as a PNG for the DOCX bulletin (Word takes raster images; the PDF draws
the same bars as vectors). Pillow, the machine's CJK font, tonnes on the value axis."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from wufei.core.pdf import cjk_font_file
from wufei.domain.ledger_units import tonnes_exact

WIDTH, HEIGHT, SCALE = 1200, 460, 2  # pixels at twice the size it is shown, for print
LEFT, RIGHT, TOP, BOTTOM = 130, 40, 40, 90
BAR = (47, 111, 78)
INK, GRID = (40, 40, 40), (215, 220, 224)
STEPS = (1, 2, 2.5, 5)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = cjk_font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def _axis_top(largest: Decimal) -> tuple[Decimal, Decimal]:
    """A round top of the value axis and its step (five or fewer gridlines)."""
    if largest <= 0:
        return Decimal(1), Decimal("0.2")
    magnitude = Decimal(10) ** (largest.adjusted() - 1)
    for factor in (*STEPS, 10, 20, 25, 50):
        step = magnitude * Decimal(str(factor))
        if step * 5 >= largest:
            top = step * ((largest / step).to_integral_value(rounding="ROUND_CEILING"))
            return top, step
    return largest, largest / 5


def _label(value: Decimal) -> str:
    return f"{value.normalize():f}"


def bar_chart_png(bars: list[tuple[str, int]], *, unit: str = "吨") -> bytes:
    """Bars of (label, grams) in tonnes, labelled, with a gridded value axis."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, tiny = _font(24), _font(20)
    tonnes = [tonnes_exact(grams) for _label_text, grams in bars]
    top, step = _axis_top(max(tonnes, default=Decimal(0)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    tick = Decimal(0)
    while tick <= top:
        y = TOP + plot_h - int(plot_h * tick / top)
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=GRID, width=2)
        draw.text((LEFT - 12, y), _label(tick), font=tiny, fill=INK, anchor="rm")
        tick += step
    draw.text((LEFT - 12, TOP - 24), unit, font=tiny, fill=INK, anchor="rm")
    slot = plot_w / max(len(bars), 1)
    for n, ((text, _grams), value) in enumerate(zip(bars, tonnes, strict=True)):
        x0 = LEFT + int(slot * n + slot * 0.2)
        x1 = LEFT + int(slot * (n + 1) - slot * 0.2)
        y0 = TOP + plot_h - int(plot_h * value / top)
        draw.rectangle([(x0, y0), (x1, TOP + plot_h)], fill=BAR)
        draw.text(((x0 + x1) // 2, y0 - 6), _label(value.quantize(Decimal("0.001"))), font=tiny,
                  fill=INK, anchor="mb")  # fmt: skip
        draw.text(((x0 + x1) // 2, TOP + plot_h + 14), text, font=small, fill=INK, anchor="mt")
    draw.line([(LEFT, TOP), (LEFT, TOP + plot_h), (WIDTH - RIGHT, TOP + plot_h)], fill=INK, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(72 * SCALE * 2, 72 * SCALE * 2))
    return out.getvalue()
