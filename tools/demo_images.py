"""Draw the demo illustrations shipped in fixtures/images/ (abstract compositions, no third-party work).

Each sector gets a few variants of its own motif (a stage for culture, hills for the environment,
a track for sport…), plus a home hero and two illustrations for news and events. The manifest
(``fixtures/images/manifest.json``) gives each image its title, description (alt text), focal
point, credit and licence; ``load_initial_data`` reads it and stores the files through Django's
storage API. Deterministic: the same script draws the same pixels.

    .venv/bin/python tools/demo_images.py
"""

import colorsys
import json
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "images"
WIDTH, HEIGHT = 1600, 900
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without anti-aliasing support
CREDIT = "Illustration : Centres de ressources DLA — licence CC0 1.0 (domaine public)"

PALETTES = {
    "culture": ["#2d1b3d", "#5b2a56", "#c8553d", "#f2b134", "#f7e3af"],
    "environnement": ["#0f3d3e", "#1f6f50", "#6a994e", "#a7c957", "#f2e8cf"],
    "sport": ["#0b2545", "#13315c", "#1b6ca8", "#f28c28", "#eef4ed"],
    "social-medico-social-sante": ["#213547", "#2a7f7a", "#f26d6d", "#f6c28b", "#fdf6ec"],
    "iae": ["#2b2d42", "#4a4e69", "#e07a1f", "#f4a259", "#f8f4e3"],
    "financement": ["#14213d", "#27476e", "#2f9c95", "#fca311", "#f5f1e6"],
    "reseau": ["#0b3c5d", "#328cc1", "#d9b310", "#1d2731", "#f4f7fa"],
}


def rgb(value, alpha=255):
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4)) + (alpha,)


def canvas(top, bottom):
    """A vertical gradient from ``top`` to ``bottom`` (RGBA, drawing size)."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    image = Image.new("RGBA", (w, h))
    draw = ImageDraw.Draw(image)
    a, b = rgb(top), rgb(bottom)
    for y in range(h):
        t = y / (h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(4)))
    return image


def layer():
    return Image.new("RGBA", (WIDTH * SCALE, HEIGHT * SCALE), (0, 0, 0, 0))


def merge(base, *layers):
    for overlay in layers:
        base.alpha_composite(overlay)
    return base


def S(*values):
    """Drawing coordinates from output coordinates."""
    return [v * SCALE for v in values]


def circle(draw, x, y, r, fill):
    draw.ellipse(S(x - r, y - r, x + r, y + r), fill=fill)


def grain(base, rnd, colour, count=140, size=(2, 6)):
    """Small dots that keep flat areas from looking synthetic."""
    dots = layer()
    draw = ImageDraw.Draw(dots)
    for _ in range(count):
        circle(draw, rnd.uniform(0, WIDTH), rnd.uniform(0, HEIGHT), rnd.uniform(*size), colour)
    return merge(base, dots)


# --- one motif per sector; each returns (image, focal box in output pixels) ------------------


def culture(rnd, p):
    base = canvas(p[0], p[1])
    beams, stage = layer(), layer()
    cx = rnd.uniform(640, 960)
    draw = ImageDraw.Draw(beams)
    for source_x, spread in ((rnd.uniform(180, 380), 250), (rnd.uniform(1220, 1420), 250)):
        draw.polygon(S(source_x, 0, cx - spread, 700, cx + spread, 700), fill=rgb(p[4], 60))
    draw = ImageDraw.Draw(stage)
    draw.ellipse(S(cx - 380, 600, cx + 380, 780), fill=rgb(p[3], 150))
    for side in (0, 1):  # curtains
        for fold in range(5):
            x = fold * 60 if side == 0 else WIDTH - (fold + 1) * 60
            draw.rectangle(S(x, 0, x + 52, HEIGHT), fill=rgb(p[2], 235 - fold * 22))
    draw.rectangle(S(0, 0, WIDTH, 70), fill=rgb(p[2], 255))
    for i in range(26):  # audience
        x = 110 + i * 56 + rnd.uniform(-8, 8)
        circle(draw, x, 860 + rnd.uniform(-10, 6), rnd.uniform(30, 40), rgb(p[0], 255))
    figure = layer()
    draw = ImageDraw.Draw(figure)
    for offset, colour in ((-90, p[4]), (70, p[3])):  # two performers, abstract
        x = cx + offset
        circle(draw, x, 470, 34, rgb(colour))
        draw.rounded_rectangle(S(x - 42, 515, x + 42, 690), radius=30 * SCALE, fill=rgb(colour))
    merge(base, beams.filter(ImageFilter.GaussianBlur(12 * SCALE)), stage, figure)
    return grain(base, rnd, rgb(p[4], 40)), (cx - 240, 380, 480, 340)


def environnement(rnd, p):
    base = canvas(p[4], p[3])
    sky = layer()
    draw = ImageDraw.Draw(sky)
    sx, sy = rnd.uniform(900, 1300), rnd.uniform(170, 260)
    for ring in range(5, 0, -1):
        circle(draw, sx, sy, 70 + ring * 28, rgb("#f6d55c", 38))
    circle(draw, sx, sy, 80, rgb("#f6c23e"))
    merge(base, sky)
    for depth, colour in enumerate((p[3], p[2], p[1], p[0])):
        hills = layer()
        draw = ImageDraw.Draw(hills)
        phase, amp = rnd.uniform(0, math.tau), 40 + depth * 18
        level = 440 + depth * 120
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 20, 20):
            y = level + amp * math.sin(x / (260 + depth * 40) + phase)
            points.append((x, y))
        points.append((WIDTH, HEIGHT))
        draw.polygon([v * SCALE for point in points for v in point], fill=rgb(colour))
        merge(base, hills)
    leaves = layer()
    draw = ImageDraw.Draw(leaves)
    for _ in range(9):
        x, y, size = rnd.uniform(80, 620), rnd.uniform(520, 860), rnd.uniform(28, 56)
        leaf = Image.new("RGBA", (int(size * 2 * SCALE), int(size * SCALE)), (0, 0, 0, 0))
        ImageDraw.Draw(leaf).ellipse((0, 0, leaf.width - 1, leaf.height - 1), fill=rgb(p[3], 230))
        leaf = leaf.rotate(rnd.uniform(0, 180), expand=True)
        leaves.alpha_composite(leaf, (int(x * SCALE), int(y * SCALE)))
    merge(base, leaves)
    return grain(base, rnd, rgb(p[4], 30)), (sx - 220, sy - 150, 440, 300)


def sport(rnd, p):
    base = canvas(p[1], p[0])
    track = layer()
    draw = ImageDraw.Draw(track)
    cx, cy = rnd.uniform(700, 900), rnd.uniform(980, 1080)
    for lane in range(8):
        r = 420 + lane * 70
        colour = p[3] if lane == 0 else p[4]
        draw.arc(
            S(cx - r * 1.6, cy - r, cx + r * 1.6, cy + r),
            180,
            360,
            fill=rgb(colour, 200),
            width=10 * SCALE,
        )
    bx, by = rnd.uniform(1050, 1300), rnd.uniform(230, 330)
    circle(draw, bx, by, 92, rgb(p[3]))
    draw.arc(S(bx - 92, by - 92, bx + 92, by + 92), 0, 360, fill=rgb(p[4]), width=6 * SCALE)
    draw.arc(S(bx - 150, by - 60, bx + 30, by + 120), 280, 80, fill=rgb(p[4]), width=6 * SCALE)
    draw.arc(S(bx - 30, by - 120, bx + 150, by + 60), 100, 260, fill=rgb(p[4]), width=6 * SCALE)
    for i in range(4):  # motion streaks
        y = by - 45 + i * 30
        draw.line(S(bx - 330 + i * 25, y, bx - 120, y), fill=rgb(p[4], 120), width=8 * SCALE)
    merge(base, track)
    return grain(base, rnd, rgb(p[4], 25)), (bx - 260, by - 160, 420, 320)


def social(rnd, p):
    base = canvas(p[4], "#f3e3d3")
    links, people = layer(), layer()
    cx, cy = rnd.uniform(700, 900), rnd.uniform(420, 500)
    nodes = []
    for i in range(9):
        angle = i / 9 * math.tau + rnd.uniform(-0.15, 0.15)
        radius = rnd.uniform(240, 320)
        nodes.append((cx + radius * 1.5 * math.cos(angle), cy + radius * math.sin(angle)))
    draw = ImageDraw.Draw(links)
    for x, y in nodes:
        draw.line(S(cx, cy, x, y), fill=rgb(p[1], 140), width=6 * SCALE)
    for (x1, y1), (x2, y2) in zip(nodes, nodes[1:] + nodes[:1], strict=True):
        draw.line(S(x1, y1, x2, y2), fill=rgb(p[1], 90), width=4 * SCALE)
    draw = ImageDraw.Draw(people)
    colours = [p[1], p[2], p[3], p[0]]
    for index, (x, y) in enumerate(nodes):
        colour = rgb(colours[index % 4])
        circle(draw, x, y - 30, 26, colour)
        draw.pieslice(S(x - 48, y - 4, x + 48, y + 92), 180, 360, fill=colour)
    circle(draw, cx, cy, 96, rgb(p[2]))
    draw.polygon(S(cx - 44, cy - 8, cx, cy + 48, cx + 44, cy - 8), fill=rgb(p[4]))
    circle(draw, cx - 22, cy - 16, 24, rgb(p[4]))
    circle(draw, cx + 22, cy - 16, 24, rgb(p[4]))
    merge(base, links, people)
    return grain(base, rnd, rgb(p[1], 30)), (cx - 250, cy - 200, 500, 400)


def iae(rnd, p):
    base = canvas(p[4], "#efe6d0")
    blocks = layer()
    draw = ImageDraw.Draw(blocks)
    left, floor, step = rnd.uniform(160, 320), 820, 118
    colours = [p[1], p[2], p[3], p[0]]
    for column in range(6):
        for row in range(column + 1):
            x, y = left + column * step, floor - (row + 1) * step
            draw.rounded_rectangle(
                S(x + 6, y + 6, x + step - 6, y + step - 6),
                radius=12 * SCALE,
                fill=rgb(colours[(column + row) % 4]),
            )
    top_x, top_y = left + 5 * step + step / 2, floor - 6 * step
    circle(draw, top_x, top_y - 70, 34, rgb(p[2]))  # someone at the top of the steps
    draw.rounded_rectangle(
        S(top_x - 40, top_y - 34, top_x + 40, top_y), radius=16 * SCALE, fill=rgb(p[2])
    )
    gx, gy, r = rnd.uniform(1240, 1380), rnd.uniform(250, 330), 120
    for tooth in range(10):
        angle = tooth / 10 * math.tau
        x, y = gx + (r + 18) * math.cos(angle), gy + (r + 18) * math.sin(angle)
        circle(draw, x, y, 30, rgb(p[1]))
    circle(draw, gx, gy, r, rgb(p[1]))
    circle(draw, gx, gy, 46, rgb(p[4]))
    merge(base, blocks)
    return grain(base, rnd, rgb(p[0], 25)), (top_x - 300, top_y - 140, 520, 360)


def financement(rnd, p):
    base = canvas(p[0], p[1])
    chart = layer()
    draw = ImageDraw.Draw(chart)
    for y in range(180, 820, 80):
        draw.line(S(120, y, 1480, y), fill=rgb(p[4], 40), width=2 * SCALE)
    heights = sorted(rnd.uniform(160, 560) for _ in range(7))
    left = rnd.uniform(150, 260)
    for index, height in enumerate(heights):
        x = left + index * 120
        colour = p[3] if index == len(heights) - 1 else p[2]
        draw.rounded_rectangle(S(x, 800 - height, x + 84, 800), radius=10 * SCALE, fill=rgb(colour))
    points = [(left + i * 120 + 42, 800 - h - 40) for i, h in enumerate(heights)]
    draw.line([v * SCALE for point in points for v in point], fill=rgb(p[4]), width=6 * SCALE)
    for x, y in points:
        circle(draw, x, y, 12, rgb(p[4]))
    cx = rnd.uniform(1250, 1380)
    for stack, offset in enumerate((-90, 0, 90)):
        for coin in range(3 + stack * 2):
            y = 780 - coin * 34
            draw.ellipse(
                S(cx + offset - 56, y - 20, cx + offset + 56, y + 20),
                fill=rgb(p[3]),
                outline=rgb(p[0]),
                width=3 * SCALE,
            )
    merge(base, chart)
    tallest_x, tallest_y = points[-1]
    return grain(base, rnd, rgb(p[4], 20)), (tallest_x - 300, tallest_y - 80, 520, 420)


def network(rnd, p):
    """The home hero: six coloured hubs (the centres) linked to many small nodes (the DLA)."""
    base = canvas(p[4], "#dde8f2")
    links, dots = layer(), layer()
    hubs = []
    colours = [PALETTES[key][2] for key in list(PALETTES)[:6]]
    for index in range(6):
        angle = index / 6 * math.tau + 0.3
        hubs.append((800 + 430 * math.cos(angle), 450 + 250 * math.sin(angle), colours[index]))
    draw_links, draw_dots = ImageDraw.Draw(links), ImageDraw.Draw(dots)
    for index, (x, y, _colour) in enumerate(hubs):
        x2, y2, _ = hubs[(index + 1) % 6]
        draw_links.line(S(x, y, x2, y2), fill=rgb(p[0], 110), width=5 * SCALE)
        draw_links.line(S(x, y, 800, 450), fill=rgb(p[0], 60), width=3 * SCALE)
    for _ in range(70):
        x, y, colour = hubs[rnd.randrange(6)]
        dx, dy = rnd.uniform(-220, 220), rnd.uniform(-160, 160)
        draw_links.line(S(x, y, x + dx, y + dy), fill=rgb(colour, 90), width=2 * SCALE)
        circle(draw_dots, x + dx, y + dy, rnd.uniform(7, 14), rgb(colour, 220))
    for x, y, colour in hubs:
        circle(draw_dots, x, y, 52, rgb(colour))
        circle(draw_dots, x, y, 22, rgb(p[4]))
    circle(draw_dots, 800, 450, 70, rgb(p[0]))
    circle(draw_dots, 800, 450, 30, rgb(p[2]))
    merge(base, links, dots)
    return base, (560, 300, 480, 300)


def meeting(rnd, p):
    """News: a round table seen from above, chairs around it."""
    base = canvas(p[4], "#e6eef5")
    room = layer()
    draw = ImageDraw.Draw(room)
    cx, cy = rnd.uniform(760, 840), 450
    draw.ellipse(S(cx - 330, cy - 200, cx + 330, cy + 200), fill=rgb(p[1]))
    for index in range(10):
        angle = index / 10 * math.tau
        x, y = cx + 420 * math.cos(angle), cy + 270 * math.sin(angle)
        circle(draw, x, y, 46, rgb([p[2], p[0], p[3]][index % 3]))
    for index in range(6):
        x = cx - 200 + index * 80
        draw.rounded_rectangle(S(x, cy - 40, x + 56, cy + 36), radius=6 * SCALE, fill=rgb(p[4]))
    merge(base, room)
    return base, (cx - 380, cy - 250, 760, 500)


def webinar(rnd, p):
    """Events: a screen with a grid of participants."""
    base = canvas(p[0], p[1])
    screen = layer()
    draw = ImageDraw.Draw(screen)
    draw.rounded_rectangle(S(260, 120, 1340, 740), radius=28 * SCALE, fill=rgb(p[3]))
    draw.rectangle(S(740, 740, 860, 810), fill=rgb(p[3]))
    draw.rounded_rectangle(S(600, 800, 1000, 830), radius=12 * SCALE, fill=rgb(p[3]))
    colours = [p[1], p[2], p[0], "#3a6ea5"]
    for row in range(3):
        for column in range(4):
            x, y = 300 + column * 255, 160 + row * 190
            draw.rounded_rectangle(
                S(x, y, x + 235, y + 170), radius=12 * SCALE, fill=rgb(colours[(row + column) % 4])
            )
            circle(draw, x + 117, y + 70, 34, rgb(p[4]))
            draw.pieslice(S(x + 62, y + 105, x + 172, y + 215), 180, 360, fill=rgb(p[4]))
    merge(base, screen)
    return base, (300, 160, 1000, 560)


MOTIFS = {
    "culture": (culture, "une scène stylisée, deux silhouettes sous les projecteurs"),
    "environnement": (environnement, "des collines superposées sous un soleil, quelques feuilles"),
    "sport": (sport, "une piste d'athlétisme en courbe et un ballon en mouvement"),
    "social-medico-social-sante": (
        social,
        "un cercle de personnes reliées autour d'un cœur",
    ),
    "iae": (iae, "un escalier de blocs colorés gravi par une silhouette, un engrenage"),
    "financement": (financement, "un graphique en barres croissant et des piles de pièces"),
}
SECTOR_NAMES = {
    "culture": "Culture",
    "environnement": "Environnement",
    "sport": "Sport",
    "social-medico-social-sante": "Social, médico-social et santé",
    "iae": "Insertion par l'activité économique",
    "financement": "Financement",
}
VARIANTS = 3


def entries():
    """(key, drawing function, palette, title, description, sector) for every image."""
    yield (
        "accueil",
        network,
        PALETTES["reseau"],
        "Le réseau des centres de ressources DLA",
        "Six pôles colorés reliés entre eux et à de nombreux points : le réseau des centres "
        "de ressources et des DLA",
        "",
    )
    for sector, (draw, motif) in MOTIFS.items():
        for variant in range(1, VARIANTS + 1):
            yield (
                f"{sector}-{variant}",
                draw,
                PALETTES[sector],
                f"{SECTOR_NAMES[sector]} — illustration {variant}",
                f"Illustration du secteur {SECTOR_NAMES[sector]} : {motif}",
                sector,
            )
    yield (
        "actualites",
        meeting,
        PALETTES["reseau"],
        "Actualités — table de réunion",
        "Une table ronde vue de dessus, entourée de participants",
        "",
    )
    yield (
        "evenements",
        webinar,
        PALETTES["sport"],
        "Événements — webinaire",
        "Un écran partagé entre douze participants d'un webinaire",
        "",
    )


def shifted(colour, degrees):
    r, g, b, _a = rgb(colour)
    h, lightness, s = colorsys.rgb_to_hls(r / 255, g / 255, b / 255)
    r, g, b = colorsys.hls_to_rgb((h + degrees / 360) % 1, lightness, s)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (r, g, b))


def variant_palette(palette, variant):
    """Variant 2 swaps the two accents (and is mirrored); variant 3 also turns every hue a little."""
    p = list(palette)
    if variant >= 2:
        p[2], p[3] = p[3], p[2]
    if variant == 3:
        p = [shifted(colour, -20) for colour in p]
    return p


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for index, (key, draw, palette, title, description, sector) in enumerate(entries()):
        rnd = random.Random(f"crdla-{key}-{index}")
        variant = int(key.rsplit("-", 1)[1]) if key[-1].isdigit() else 1
        image, (fx, fy, fw, fh) = draw(rnd, variant_palette(palette, variant))
        image = image.convert("RGB").resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        if variant == 2 and draw is not financement:  # mirrored (a chart never goes down)
            image, fx = ImageOps.mirror(image), WIDTH - fx - fw
        filename = f"{key}.jpg"
        image.save(OUT / filename, quality=86, optimize=True, progressive=True)
        fx, fy = max(0, round(fx)), max(0, round(fy))
        manifest.append(
            {
                "key": key,
                "file": filename,
                "title": title,
                "description": description,
                "sector": sector,
                # Wagtail stores the focal point's centre and size
                "focal_point": {
                    "x": min(WIDTH, fx + round(fw) // 2),
                    "y": min(HEIGHT, fy + round(fh) // 2),
                    "width": round(fw),
                    "height": round(fh),
                },
                "credit": CREDIT,
            }
        )
        print(f"{filename}: {(OUT / filename).stat().st_size // 1024} Ko")
    with (OUT / "manifest.json").open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
