"""Server-rendered SVG charts for the moderation dashboard: no script, no CDN, no library.

Pure functions from numbers and labels to an SVG string. Every piece of text
(labels, titles, tooltips) is escaped here, since some come from readers
(an article's or a page's title); the result is marked safe for templates.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

_FONT = 'font-family="system-ui, sans-serif" font-size="11"'
_AXIS = "#888"


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _nice_max(value: float) -> float:
    """A round top for the y axis: 1, 2 or 5 times a power of ten, at or above the value."""
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    for step in (1, 2, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def _open(width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{_text(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{_text(title)}</title>",
        f"<desc>{_text(description)}</desc>",
    ]


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 720,
    height: int = 220,
    label_every: int = 1,
    color: str = "#3b6ea5",
    unit: str = "",
    axis_labels: Sequence[str] | None = None,
) -> SafeString:
    """Vertical bars, one per (label, value); the label is the bar's tooltip, and every
    `label_every`-th is printed under the axis, or `axis_labels` (one per bar, "" for none)."""
    left, right, top, bottom = 40, 8, 10, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((v for _, v in bars), default=0))
    total = sum(v for _, v in bars)
    parts = _open(width, height, title, f"{len(bars)} bars, {total:g}{unit} in all")
    parts.append(f'<g {_FONT} fill="{_AXIS}">')
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e5e5e5" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{peak * fraction:g}</text>'
        )
    parts.append("</g>")
    step = plot_w / max(len(bars), 1)
    gap = min(2.0, step * 0.2)
    parts.append(f'<g fill="{_text(color)}">')
    for i, (label, value) in enumerate(bars):
        h = plot_h * value / peak
        x = left + i * step
        parts.append(
            f'<rect x="{x + gap / 2:.2f}" y="{top + plot_h - h:.2f}" '
            f'width="{max(step - gap, 0.5):.2f}" height="{h:.2f}">'
            f"<title>{_text(label)}: {value:g}{_text(unit)}</title></rect>"
        )
    parts.append("</g>")
    parts.append(f'<g {_FONT} fill="#555">')
    if axis_labels is None:
        axis_labels = [
            label if i % max(label_every, 1) == 0 else "" for i, (label, _) in enumerate(bars)
        ]
    for i, label in enumerate(axis_labels):
        if label:
            x = left + i * step + step / 2
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                f"{_text(label)}</text>"
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def stacked_bar_chart(
    rows: Sequence[tuple[str, dict[str, float]]],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 720,
    height: int = 240,
    label_every: int = 1,
) -> SafeString:
    """One bar per row, its series stacked bottom up in `series` order, with a legend."""
    left, right, top, bottom = 40, 8, 26, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((sum(values.values()) for _, values in rows), default=0))
    parts = _open(width, height, title, ", ".join(s.label for s in series))
    parts.append(f'<g {_FONT} class="legend">')
    x = left
    for s in series:
        parts.append(
            f'<rect x="{x}" y="6" width="10" height="10" fill="{_text(s.color)}"/>'
            f'<text x="{x + 14}" y="15" fill="#333">{_text(s.label)}</text>'
        )
        x += 24 + 7 * len(s.label)
    parts.append("</g>")
    parts.append(f'<g {_FONT} fill="{_AXIS}">')
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e5e5e5" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{peak * fraction:g}</text>'
        )
    parts.append("</g>")
    step = plot_w / max(len(rows), 1)
    gap = min(6.0, step * 0.25)
    for i, (label, values) in enumerate(rows):
        x = left + i * step + gap / 2
        y = top + plot_h
        for s in series:
            value = values.get(s.key, 0)
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                f'<rect x="{x:.2f}" y="{y:.2f}" width="{max(step - gap, 0.5):.2f}" '
                f'height="{h:.2f}" fill="{_text(s.color)}">'
                f"<title>{_text(label)} · {_text(s.label)}: {value:g}</title></rect>"
            )
    parts.append(f'<g {_FONT} fill="#555">')
    for i, (label, _) in enumerate(rows):
        if i % max(label_every, 1) == 0:
            cx = left + i * step + step / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                f"{_text(label)}</text>"
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def share_bar(
    shares: Sequence[tuple[Series, float]], *, title: str, width: int = 720
) -> SafeString:
    """One horizontal bar split by share, each part labelled with its percentage."""
    height, top, bar_h = 58, 4, 26
    total = sum(v for _, v in shares)
    parts = _open(
        width,
        height,
        title,
        "; ".join(f"{s.label}: {v:g}" for s, v in shares) or "no comments",
    )
    x = 0.0
    for s, value in shares:
        if not total or not value:
            continue
        w = width * value / total
        parts.append(
            f'<rect x="{x:.2f}" y="{top}" width="{w:.2f}" height="{bar_h}" fill="{_text(s.color)}">'
            f"<title>{_text(s.label)}: {value:g} ({100 * value / total:.1f}%)</title></rect>"
        )
        x += w
    x = 0.0
    parts.append(f'<g {_FONT} fill="#333">')
    for s, value in shares:
        share = 100 * value / total if total else 0
        parts.append(
            f'<rect x="{x}" y="{top + bar_h + 10}" width="10" height="10" '
            f'fill="{_text(s.color)}"/>'
            f'<text x="{x + 14}" y="{top + bar_h + 19}">{_text(s.label)} {value:g} '
            f"({share:.1f}%)</text>"
        )
        x += 180
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def horizontal_bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 720,
    row_height: int = 24,
    color: str = "#b5523b",
) -> SafeString:
    """One labelled row per item, longest first as given; for rankings (most-flagged)."""
    label_w, value_w = 300, 44
    height = max(row_height * len(items), row_height) + 4
    peak = max((v for _, v in items), default=0) or 1
    parts = _open(width, height, title, f"{len(items)} items")
    parts.append(f"<g {_FONT}>")
    for i, (label, value) in enumerate(items):
        y = i * row_height + 2
        shown = label if len(label) <= 48 else label[:47] + "…"
        w = (width - label_w - value_w) * value / peak
        parts.append(
            f'<text x="0" y="{y + row_height * 0.65:.1f}" fill="#333">{_text(shown)}'
            f"<title>{_text(label)}</title></text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.2f}" height="{row_height - 8}" '
            f'fill="{_text(color)}"/>'
            f'<text x="{label_w + w + 4:.2f}" y="{y + row_height * 0.65:.1f}" fill="#333">'
            f"{value:g}</text>"
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # every text above is escaped
