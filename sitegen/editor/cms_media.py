"""Images uploaded in the browser editor: checked to be photos or graphics a browser shows, given a
safe ASCII file name, and large photos scaled down to the widest the theme ever shows them."""

from __future__ import annotations

import io
from pathlib import PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from sitegen.content.files import is_windows_device_name
from sitegen.content.sources import suggest_slug
from sitegen.editor.cms_refusal import Refusal
from sitegen.errors import zh_en

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""A photo straight from a phone or camera is under 20 MB; a larger file is a video or a scan."""
MAX_WIDTH = 2304
"""The theme shows an image at most as wide as its 72rem (1152 px) content column; twice that
keeps it sharp on high-density screens. Wider photos only make pages slower on phones."""
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
"""What every browser shows, by Pillow's name, with the file extension written for it."""
MAX_PIXELS = 80_000_000
"""Refused before decoding: a bigger image is a decompression bomb or a scan, not a photo."""


def prepare_image(name: str, data: bytes) -> tuple[str, bytes]:
    """A safe file name and the bytes to store for an uploaded image; refused when it is none."""
    if len(data) > MAX_UPLOAD_BYTES:
        size, limit = len(data) / 1024 / 1024, MAX_UPLOAD_BYTES // 1024 // 1024
        raise Refusal(
            zh_en(
                f"图片 {name} 太大（{size:.0f} MB），最大 {limit} MB",
                f"the image {name} is too large ({size:.0f} MB); the limit is {limit} MB",
            ),
            zh_en("用手机或画图软件把它另存为较小的 JPEG 再上传", "save it as a smaller JPEG, then upload that"),
            status=413,
        )
    image = _opened(name, data)
    extension = FORMATS[image.format or ""]
    return f"{safe_stem(name)}.{extension}", _scaled(image, data)


def safe_stem(name: str) -> str:
    """`长城 照片.JPG` -> `chang-cheng-zhao-pian`: ASCII every system stores, never a Windows device name."""
    stem = suggest_slug(PurePosixPath(name).stem)[:60].strip("-") or "image"
    return f"{stem}-image" if is_windows_device_name(stem) else stem


def _opened(name: str, data: bytes) -> Image.Image:
    not_an_image = Refusal(
        zh_en(f"{name} 不是图片", f"{name} is not an image"),
        zh_en("只能上传 JPEG、PNG、WebP 或 GIF 图片", "upload a JPEG, PNG, WebP or GIF picture"),
        status=415,
    )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise not_an_image
        if image.width * image.height > MAX_PIXELS:
            raise Refusal(
                zh_en(f"{name} 的像素太多（{image.width}×{image.height}）", f"{name} has too many pixels"),
                zh_en("缩小后再上传", "scale it down, then upload it"),
                status=413,
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise not_an_image from None
    return image


def _scaled(image: Image.Image, data: bytes) -> bytes:
    """The original bytes when the image is narrow enough; else scaled down, upright, in its own format."""
    if image.width <= MAX_WIDTH or image.format == "GIF":  # an animated GIF keeps its frames
        return data
    upright = ImageOps.exif_transpose(image)
    height = round(upright.height * MAX_WIDTH / upright.width)
    scaled = upright.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if image.format == "JPEG":
        scaled.convert("RGB").save(output, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        scaled.save(output, image.format)
    return output.getvalue()
