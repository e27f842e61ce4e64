"""Render the part of a PDF page an action came from, so a reviewer sees it as printed.

Bounding boxes are pdfplumber's: PDF points with the origin at the top left, stored as
{"first": {"page", "x0", "top", "x1", "bottom"}, "last": {...}}. An action that runs over a page
break is shown as the pieces of each page, stacked.
"""

import io
import threading
from pathlib import Path

from ..errors import PmmError

RENDER_SCALE = 2          # pixels per PDF point: sharp on ordinary and high-density screens
MARGIN_POINTS = 14        # context around the action's box
MAX_PIECES = 3            # an action over more pages shows its first pages only
GAP_PIXELS = 8

# pdfium is not thread-safe; the review server renders from several request threads.
_PDFIUM_LOCK = threading.Lock()


class RegionUnavailable(PmmError):
    """The source file of an action is gone, or the action has no page to show."""


def render_region_png(source_path, *, pages=None, bbox=None, scale: float = RENDER_SCALE) -> bytes:
    """PNG bytes of the action's region of its source PDF.

    :param pages: 1-based page numbers of the action (used when there is no bbox).
    :param bbox: the action's bounding box as stored; None shows its whole first page.
    :raises RegionUnavailable: when the file is missing or unreadable, or no page is known.
    """
    import pypdfium2 as pdfium
    from PIL import Image

    if not source_path:
        raise RegionUnavailable("the action has no source file")
    path = Path(source_path)
    if not path.is_file():
        raise RegionUnavailable(f"{path}: file not found")
    if path.suffix.lower() != ".pdf":
        raise RegionUnavailable(f"{path}: not a PDF (only PDF pages can be shown)")
    pieces = _pieces(pages, bbox)
    if not pieces:
        raise RegionUnavailable(f"{path}: the action has no page number")
    images = []
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise RegionUnavailable(f"{path}: cannot open the PDF ({exc})") from None
        try:
            for page_number, box in pieces:
                if not 1 <= page_number <= len(document):
                    raise RegionUnavailable(f"{path}: page {page_number} is not in the PDF "
                                            f"({len(document)} pages)")
                page = document[page_number - 1]
                image = page.render(scale=scale).to_pil()
                width, height = page.get_size()
                images.append(image.crop(_pixel_box(box, width, height, scale)) if box else image)
                page.close()
        finally:
            document.close()
    canvas = _stack(images, Image)
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pieces(pages, bbox):
    """[(page number, (x0, top, x1, bottom) or None for the whole page)]."""
    if isinstance(bbox, dict) and bbox.get("first"):
        first = bbox["first"]
        last = bbox.get("last") or first
        first_page, last_page = int(first["page"]), int(last["page"])
        if first_page == last_page:
            return [(first_page, (min(first["x0"], last["x0"]), first["top"],
                                  max(first["x1"], last["x1"]), max(first["bottom"], last["bottom"])))]
        pieces = [(first_page, (first["x0"], first["top"], first["x1"], None))]
        pieces += [(p, None) for p in range(first_page + 1, last_page)]
        pieces += [(last_page, (last["x0"], None, last["x1"], last["bottom"]))]
        return pieces[:MAX_PIECES]
    if pages:
        return [(int(pages[0]), None)]
    return []


def _pixel_box(box, width, height, scale):
    x0, top, x1, bottom = box
    top = 0 if top is None else top
    bottom = height if bottom is None else bottom
    # Clamp to the page: a box from a sloppy extractor must not crop outside it.
    left = max(0.0, min(float(x0), float(x1)) - MARGIN_POINTS)
    right = min(float(width), max(float(x0), float(x1)) + MARGIN_POINTS)
    upper = max(0.0, min(float(top), float(bottom)) - MARGIN_POINTS)
    lower = min(float(height), max(float(top), float(bottom)) + MARGIN_POINTS)
    if right - left < 1 or lower - upper < 1:
        return (0, 0, int(width * scale), int(height * scale))
    return (int(left * scale), int(upper * scale), int(right * scale), int(lower * scale))


def _stack(images, Image):
    if len(images) == 1:
        return images[0]
    width = max(image.width for image in images)
    height = sum(image.height for image in images) + GAP_PIXELS * (len(images) - 1)
    canvas = Image.new("RGB", (width, height), (200, 200, 200))
    y = 0
    for image in images:
        canvas.paste(image, (0, y))
        y += image.height + GAP_PIXELS
    return canvas
