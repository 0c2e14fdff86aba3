"""Drawn head-and-shoulders avatars for the demo's authors, so bylines don't all wear identicons.

A portrait is a few flat shapes (backdrop, shoulders, face, hair, eyes, maybe
glasses) whose colours and hair style come from a seeded random source, drawn
at twice the size and scaled down for smooth edges. The result is a PNG, the
same kind of file a person would upload.
"""

import random
from io import BytesIO

from PIL import Image, ImageDraw

BACKDROPS = ("#2f4858", "#86bbd8", "#f6ae2d", "#33658a", "#9bc53d", "#e55934", "#5b5f97", "#c8d5b9")
SKIN = ("#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac", "#a0522d", "#6b4423")
HAIR = ("#1b1b1b", "#4a2c18", "#7b4a26", "#b5651d", "#d9c27e", "#8c8c8c", "#5a1e1e")
CLOTHES = ("#1d3557", "#e63946", "#2a9d8f", "#6d597a", "#264653", "#f4a261", "#3d405b")

SIZE = 256


def portrait_png(seed: str, *, size: int = SIZE) -> bytes:
    """A deterministic portrait for `seed`, as PNG bytes."""
    rng = random.Random(f"portrait:{seed}")
    s = size * 2  # drawn large, scaled down: Pillow's shapes are not anti-aliased
    image = Image.new("RGB", (s, s), rng.choice(BACKDROPS))
    draw = ImageDraw.Draw(image)
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    style = rng.randrange(4)
    cx, face_w, face_h = s // 2, int(s * 0.30), int(s * 0.38)
    top = int(s * 0.20)
    face = (cx - face_w // 2, top, cx + face_w // 2, top + face_h)

    if style == 1:  # long hair falls behind the shoulders
        draw.rounded_rectangle(
            (face[0] - s * 0.06, top - s * 0.04, face[2] + s * 0.06, top + face_h * 1.25),
            radius=int(s * 0.12),
            fill=hair,
        )
    draw.ellipse((cx - s * 0.36, s * 0.70, cx + s * 0.36, s * 1.25), fill=clothes)  # shoulders
    draw.rectangle((cx - s * 0.06, top + face_h * 0.8, cx + s * 0.06, s * 0.76), fill=skin)  # neck
    draw.ellipse(face, fill=skin)

    if style == 0:  # short: a cap of hair over the top of the head
        draw.chord(
            (face[0] - 4, top - s * 0.03, face[2] + 4, top + face_h * 0.7), 180, 360, fill=hair
        )
    elif style == 1:
        draw.chord((face[0], top - s * 0.02, face[2], top + face_h * 0.6), 180, 360, fill=hair)
    elif style == 2:  # a bun on top
        r = s * 0.08
        draw.ellipse((cx - r, top - r * 1.6, cx + r, top + r * 0.4), fill=hair)
        draw.chord((face[0], top - s * 0.01, face[2], top + face_h * 0.55), 180, 360, fill=hair)
    # style 3: shaved head, no hair shape

    eye_y, eye_dx, eye_r = top + face_h * 0.48, face_w * 0.2, s * 0.018
    for x in (cx - eye_dx, cx + eye_dx):
        draw.ellipse((x - eye_r, eye_y - eye_r, x + eye_r, eye_y + eye_r), fill="#1b1b1b")
    mouth_y = top + face_h * 0.68
    draw.arc(
        (cx - face_w * 0.18, mouth_y - s * 0.04, cx + face_w * 0.18, mouth_y + s * 0.04),
        20,
        160,
        fill="#5a2a27",
        width=max(2, s // 120),
    )
    if rng.random() < 0.4:  # glasses
        r, width = s * 0.045, max(2, s // 110)
        for x in (cx - eye_dx, cx + eye_dx):
            draw.ellipse((x - r, eye_y - r, x + r, eye_y + r), outline="#222222", width=width)
        draw.line((cx - eye_dx + r, eye_y, cx + eye_dx - r, eye_y), fill="#222222", width=width)

    out = BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG")
    return out.getvalue()
