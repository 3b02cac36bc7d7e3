"""Small server-side SVG charts (no JavaScript, no CDN). Every label is escaped."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 40, 28, 12


def bar_chart(title: str, bars: list[tuple[str, int, int]], label_every: int = 1) -> SafeString:
    """Vertical bars of ``(label, total, highlighted part)``; the highlighted part (anonymous
    answers) is drawn over the bottom of each bar."""
    peak = max([total for _, total, _ in bars] + [1])
    plot_w, plot_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(bars), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        _axis(peak, plot_h),
    ]
    for i, (label, total, part) in enumerate(bars):
        x = PAD_LEFT + i * step + step * 0.1
        w = max(step * 0.8, 1)
        h = plot_h * total / peak
        hp = plot_h * part / peak
        base = PAD_TOP + plot_h
        parts.append(
            f"<g><title>{escape(label)}: {total}</title>"
            f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}"/>'
            f'<rect class="bar-part" x="{x:.1f}" y="{base - hp:.1f}" width="{w:.1f}" '
            f'height="{hp:.1f}"/></g>'
        )
        if i % label_every == 0:
            parts.append(
                f'<text class="tick" x="{x + w / 2:.1f}" y="{HEIGHT - 10}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (built from escaped values)


def _axis(peak: int, plot_h: float) -> str:
    base = PAD_TOP + plot_h
    return (
        f'<line class="axis" x1="{PAD_LEFT}" y1="{base}" x2="{WIDTH - 8}" y2="{base}"/>'
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{PAD_TOP + 4}" text-anchor="end">{peak}</text>'
        f'<text class="tick" x="{PAD_LEFT - 4}" y="{base}" text-anchor="end">0</text>'
    )


def share_bar(title: str, parts: list[tuple[str, int]]) -> SafeString:
    """One horizontal bar split into shares (e.g. registered vs anonymous volunteers)."""
    total = sum(n for _, n in parts) or 1
    x = 0.0
    out = [
        f'<svg class="chart share" viewBox="0 0 {WIDTH} 40" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, n) in enumerate(parts):
        w = WIDTH * n / total
        out.append(
            f'<g><title>{escape(label)}: {n}</title><rect class="share-{i}" x="{x:.1f}" y="0" '
            f'width="{w:.1f}" height="28"/></g>'
        )
        x += w
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308
