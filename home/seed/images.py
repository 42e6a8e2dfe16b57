"""Neutral placeholder images, drawn with Pillow at seed time (never downloaded).

Drawing is deterministic: a JPEG holds no timestamp, so the same spec gives the same
bytes, and so the same file hash, on every run with the same Pillow. That hash is how
`seed_site` recognises a placeholder it made before, whatever an editor has renamed it.
"""

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont, ImageOps
from wagtail.utils.file import hash_filelike

LABEL = "Placeholder"


def placeholder_data(spec):
    """The JPEG bytes for an image spec from `home.seed.content`."""
    return placeholder_jpeg(spec["size"], spec["colours"])


def placeholder_jpeg(size, colours, label=LABEL):
    """JPEG bytes: a diagonal two-colour gradient with the label centred on it."""
    width, height = size
    image = gradient(size, colours)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(height // 9, 12))
    draw.text((width / 2, height / 2), label, font=font, fill="white", anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def gradient(size, colours):
    """An RGB image fading from the first colour (top left) to the second."""
    # Pillow's 256x256 top-to-bottom ramp blended with its left-to-right turn.
    vertical = Image.linear_gradient("L")
    diagonal = Image.blend(vertical, vertical.rotate(90), 0.5).resize(size)
    return ImageOps.colorize(diagonal, black=colours[0], white=colours[1])


def file_hash(data):
    """The hash Wagtail records in `file_hash` when these bytes are uploaded."""
    return hash_filelike(BytesIO(data))


def placeholder_file(spec, data):
    """A Django file of the spec's placeholder bytes, named as in the spec."""
    return ImageFile(BytesIO(data), name=spec["filename"])
