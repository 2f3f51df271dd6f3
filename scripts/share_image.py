"""Draw the default share image (sitegen/theme/static/img/share.png, 1200x630) for link previews.

Run by hand when the site's name changes: python scripts/share_image.py
Needs Pillow and a CJK font (Debian: apt-get install fonts-noto-cjk); neither is needed to build.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
OUTPUT = ROOT / "sitegen/theme/static/img/share.png"


def draw() -> None:
    image = Image.new("RGB", (1200, 630), "#083f78")
    pen = ImageDraw.Draw(image)
    # Dots in the sector colours, scattered like parks on a map.
    colours = ["#1565c0", "#c62828", "#2e7d32", "#a15c00", "#5e35b1", "#00727d", "#ad1457"]
    scatter = random.Random(37)
    for index in range(37):
        x = scatter.randint(700, 1120)
        y = scatter.randint(80, 540)
        pen.ellipse((x, y, x + 22, y + 22), fill=colours[index % len(colours)], outline="#ffffff", width=3)
    title = ImageFont.truetype(str(FONT), 64, index=2)
    subtitle = ImageFont.truetype(str(FONT), 40, index=2)
    pen.text((80, 200), "青企峰会", font=title, fill="#ffffff")
    pen.text((80, 290), "产业园区联盟", font=title, fill="#ffffff")
    pen.text((80, 400), "产业地图 · Industry map", font=subtitle, fill="#cfe3ff")
    image.save(OUTPUT, optimize=True)


if __name__ == "__main__":
    draw()
