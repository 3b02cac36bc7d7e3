"""The demo project's pictures: simple SVG drawings of animals, generated so the demo needs no
internet. The files are committed under ``static/crowdfold/demo/``; regenerate them with
``python -m crowdfold.demo.pictures`` after changing a drawing (a test checks they are in sync).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

PICTURE_COUNT = 50
STATIC_SUBDIR = "crowdfold/demo"
PICTURES_DIR = Path(__file__).resolve().parent / "static" / STATIC_SUBDIR
SUBJECTS = ("cat", "dog", "bird", "fish", "rabbit")
# Every other picture shows a cat, so "Yes" and "No" are about equally common.
SEQUENCE = ("cat", "dog", "cat", "bird", "cat", "fish", "cat", "rabbit")

FUR = ("#f2a65a", "#8d6e63", "#9e9e9e", "#3e3e3e", "#e0c9a6", "#c97b3d", "#f5f5f5")
BIRD = ("#4a90d9", "#e5533d", "#f4c542", "#5cb85c", "#9b59b6")
FISH = ("#ff8c42", "#f9d423", "#e84a5f", "#2ab7ca", "#a0d911")
SKY = ("#dff3ff", "#fdf3e1", "#eaf7e4", "#f3e9ff", "#fff0f0", "#e8f0ff")


@dataclass(frozen=True)
class Picture:
    number: int
    subject: str
    svg: str

    @property
    def filename(self) -> str:
        return f"picture-{self.number:02d}.svg"

    @property
    def static_path(self) -> str:
        return f"{STATIC_SUBDIR}/{self.filename}"


def _eyes(x: float, y: float, gap: float, r: float, iris: str = "#2e2e2e") -> str:
    return "".join(
        f'<circle cx="{x + dx}" cy="{y}" r="{r}" fill="#fff"/>'
        f'<circle cx="{x + dx + r * 0.15}" cy="{y + r * 0.1}" r="{r * 0.55}" fill="{iris}"/>'
        f'<circle cx="{x + dx + r * 0.35}" cy="{y - r * 0.2}" r="{r * 0.18}" fill="#fff"/>'
        for dx in (-gap, gap)
    )


def _cat(fur: str) -> str:
    ears = (
        f'<polygon points="-70,-40 -55,-115 -10,-70" fill="{fur}"/>'
        f'<polygon points="70,-40 55,-115 10,-70" fill="{fur}"/>'
        '<polygon points="-58,-55 -52,-95 -27,-70" fill="#f7b5c0"/>'
        '<polygon points="58,-55 52,-95 27,-70" fill="#f7b5c0"/>'
    )
    whiskers = "".join(
        f'<line x1="{s * 22}" y1="{14 + dy}" x2="{s * 95}" y2="{4 + dy * 2.2}" stroke="#333" stroke-width="2"/>'
        for s in (-1, 1)
        for dy in (-6, 2, 10)
    )
    return (
        ears
        + f'<ellipse cx="0" cy="0" rx="85" ry="75" fill="{fur}"/>'
        + _eyes(0, -15, 32, 15, "#3a7d44")
        + '<polygon points="-9,10 9,10 0,20" fill="#e76f8a"/>'
        + '<path d="M0,20 Q-10,34 -22,28 M0,20 Q10,34 22,28" stroke="#333" stroke-width="2.5" fill="none"/>'
        + whiskers
    )


def _dog(fur: str) -> str:
    return (
        f'<ellipse cx="-78" cy="-5" rx="26" ry="62" fill="#5d4037" transform="rotate(18 -78 -5)"/>'
        f'<ellipse cx="78" cy="-5" rx="26" ry="62" fill="#5d4037" transform="rotate(-18 78 -5)"/>'
        f'<ellipse cx="0" cy="0" rx="78" ry="82" fill="{fur}"/>'
        '<ellipse cx="0" cy="38" rx="44" ry="34" fill="#f3e5d8"/>'
        + _eyes(0, -22, 28, 13, "#4e342e")
        + '<ellipse cx="0" cy="20" rx="17" ry="12" fill="#222"/>'
        + '<path d="M-18,42 Q0,56 18,42" stroke="#222" stroke-width="3" fill="none"/>'
        + '<path d="M-8,48 Q0,74 8,48 Z" fill="#e85d75"/>'
    )


def _bird(color: str) -> str:
    return (
        '<rect x="-150" y="70" width="300" height="12" rx="6" fill="#7b5230"/>'
        '<line x1="-12" y1="55" x2="-16" y2="72" stroke="#e69b2e" stroke-width="4"/>'
        '<line x1="14" y1="55" x2="18" y2="72" stroke="#e69b2e" stroke-width="4"/>'
        f'<polygon points="-60,10 -120,-10 -110,30" fill="{color}"/>'
        f'<ellipse cx="0" cy="10" rx="65" ry="50" fill="{color}"/>'
        '<ellipse cx="8" cy="22" rx="40" ry="28" fill="#fff" opacity=".55"/>'
        f'<circle cx="45" cy="-40" r="36" fill="{color}"/>'
        '<polygon points="76,-48 112,-38 76,-28" fill="#f2a33a"/>'
        '<circle cx="56" cy="-48" r="8" fill="#fff"/><circle cx="58" cy="-47" r="4.5" fill="#222"/>'
        f'<ellipse cx="-15" cy="5" rx="38" ry="22" fill="{color}" stroke="#0002" stroke-width="3"/>'
    )


def _fish(color: str) -> str:
    bubbles = "".join(
        f'<circle cx="{110 + i * 14}" cy="{-40 - i * 30}" r="{6 + i * 2}" fill="none" stroke="#fff" stroke-width="3"/>'
        for i in range(3)
    )
    return (
        f'<polygon points="-70,0 -140,-55 -140,55" fill="{color}"/>'
        f'<ellipse cx="0" cy="0" rx="95" ry="58" fill="{color}"/>'
        f'<path d="M-10,-55 Q10,-95 40,-52 Z" fill="{color}" stroke="#0002" stroke-width="3"/>'
        '<path d="M-30,-40 Q-5,0 -30,40" stroke="#0003" stroke-width="4" fill="none"/>'
        '<circle cx="50" cy="-12" r="13" fill="#fff"/><circle cx="53" cy="-10" r="7" fill="#222"/>'
        '<path d="M80,14 Q88,20 80,25" stroke="#222" stroke-width="3" fill="none"/>' + bubbles
    )


def _rabbit(fur: str) -> str:
    return (
        '<g transform="translate(0 45) scale(.9)">'
        f'<ellipse cx="-30" cy="-110" rx="20" ry="70" fill="{fur}"/>'
        f'<ellipse cx="30" cy="-110" rx="20" ry="70" fill="{fur}"/>'
        '<ellipse cx="-30" cy="-105" rx="9" ry="52" fill="#f7b5c0"/>'
        '<ellipse cx="30" cy="-105" rx="9" ry="52" fill="#f7b5c0"/>'
        f'<ellipse cx="0" cy="0" rx="72" ry="66" fill="{fur}"/>'
        + _eyes(0, -15, 28, 12, "#6d4c41")
        + '<ellipse cx="0" cy="14" rx="9" ry="7" fill="#e76f8a"/>'
        + '<rect x="-9" y="28" width="8" height="14" fill="#fff" stroke="#999"/>'
        + '<rect x="1" y="28" width="8" height="14" fill="#fff" stroke="#999"/>'
        + "</g>"
    )


DRAW = {
    "cat": lambda rng: _cat(rng.choice(FUR)),
    "dog": lambda rng: _dog(rng.choice(FUR)),
    "bird": lambda rng: _bird(rng.choice(BIRD)),
    "fish": lambda rng: _fish(rng.choice(FISH)),
    "rabbit": lambda rng: _rabbit(rng.choice(FUR)),
}


def _background(subject: str, rng: random.Random) -> str:
    if subject == "fish":
        return (
            '<rect width="480" height="360" fill="#7cc6e8"/>'
            '<path d="M0,320 Q120,290 240,320 T480,315 V360 H0 Z" fill="#e9d8a6"/>'
        )
    sky = rng.choice(SKY)
    return (
        f'<rect width="480" height="360" fill="{sky}"/>'
        '<path d="M0,300 Q160,270 320,300 T480,295 V360 H0 Z" fill="#9ccc65"/>'
    )


def draw(number: int) -> Picture:
    """Picture ``number`` (1-based): the same drawing every time."""
    rng = random.Random(f"crowdfold-demo-{number}")
    subject = SEQUENCE[(number - 1) % len(SEQUENCE)]
    x = 240 + rng.randint(-60, 60)
    y = 190 + rng.randint(-10, 20)
    scale = rng.choice((0.9, 1.0, 1.1, 1.2))
    angle = rng.randint(-12, 12)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 360" width="480" height="360">'
        f"<title>Demo picture {number}</title>"
        + _background(subject, rng)
        + f'<g transform="translate({x} {y}) rotate({angle}) scale({scale})">'
        + DRAW[subject](rng)
        + "</g></svg>\n"
    )
    return Picture(number=number, subject=subject, svg=svg)


def all_pictures() -> list[Picture]:
    return [draw(n) for n in range(1, PICTURE_COUNT + 1)]


def write_pictures(directory: Path = PICTURES_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for picture in all_pictures():
        (directory / picture.filename).write_text(picture.svg, encoding="utf-8")


if __name__ == "__main__":
    write_pictures()
    print(f"Wrote {PICTURE_COUNT} pictures to {PICTURES_DIR}")
