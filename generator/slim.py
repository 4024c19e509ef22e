"""Smaller files for the built sites: static charts, pages and the search index.

GitHub Pages holds 1 GB per site, and an agency keeps every client's every month there, so each
byte of a month is paid for hundreds of times. Nothing here changes what a reader sees.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
#: Attribute namespaces an SVG image may use, by the prefix they are written with.
_PREFIXES = {_XLINK_NS: "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}
_NOISE = re.compile(r' (?:aria-[a-z]+|role|class|pointer-events)="[^"]*"')
_DECIMALS = re.compile(r"(?<![\d.])(-?\d+\.\d)\d+")
_TAG = re.compile(r"<[^>]+>")
#: Presentation attributes a child inherits from its group (opacity, transform and clipping
#: are not inherited: they apply to the group as a whole).
_INHERITED = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)
#: Initial values: writing them out draws nothing different.
_DEFAULTS = {
    "opacity": "1",
    "transform": "translate(0,0)",
    "x": "0",
    "y": "0",
    "x1": "0",
    "y1": "0",
    "x2": "0",
    "y2": "0",
}
_SHAPES = frozenset({"path", "rect", "line", "circle", "ellipse", "polygon", "polyline"})


def slim_svg(svg: str) -> str:
    """A static chart about a third of vl-convert's size, drawing the same picture.

    Shown as an image, its ARIA and classes serve nobody (the image's alt text describes it);
    a tenth of a pixel is finer than print needs; groups without attributes, initial values,
    shapes that paint nothing and attributes a group already gives its children are dropped;
    attributes all of a group's children share are written once, on the group.
    """
    svg = rounded(svg)
    root = ET.fromstring(svg)
    namespaced = root.tag.startswith("{")
    names = _local_names(root)
    if names is None:  # something this does not know how to write back: left as it is
        return svg
    xlink = "xlink:" in names
    _tidy(root)
    _drop_inherited(root, {})
    _tidy(root)
    _merge_lines(root)
    _one_font(root)
    # ElementTree writes attributes in the order they were set: namespaces first, as they came.
    namespaces = {"xmlns": _SVG_NS} if namespaced else {}
    if xlink:
        namespaces["xmlns:xlink"] = _XLINK_NS
    root.attrib = {**namespaces, **root.attrib}
    # Text is escaped by ElementTree, so " />" can only close an empty element.
    return ET.tostring(root, encoding="unicode").replace(" />", "/>")


_TRANSLATE = re.compile(r"translate\((-?[\d.]+)(?:,(-?[\d.]+))?\)")
#: What a line may carry to become part of a path: where it is, nothing about how it looks.
_LINE_PLACES = frozenset({"transform", "x1", "y1", "x2", "y2"})
_MERGE_BLOCKERS = frozenset({"stroke-dasharray", "stroke-opacity", "style"})


def _merge_lines(element: ET.Element, unsafe: bool = False) -> None:
    """A group of lines that differ only in where they are (grid lines, axis ticks) becomes
    one path of as many segments, drawn with the group's stroke: the same pixels, a fifth of
    the bytes. Not under a dash pattern, which a path would carry on from one segment to the
    next, nor a stroke opacity, which a path paints once where its segments cross."""
    unsafe = unsafe or not _MERGE_BLOCKERS.isdisjoint(element.attrib)
    children = list(element)
    if element.tag == "g" and len(children) > 1 and not unsafe:
        segments = [_segment(child) for child in children]
        if all(segments):
            element[:] = [ET.Element("path", {"d": "".join(s or "" for s in segments)})]
            return
    for child in children:
        _merge_lines(child, unsafe)


def _segment(line: ET.Element) -> str | None:
    """A bare line as path data (``M30,0V260``), or None for anything else."""
    if line.tag != "line" or len(line) or not line.attrib.keys() <= _LINE_PLACES:
        return None
    moved = _TRANSLATE.fullmatch(line.get("transform", "translate(0,0)"))
    try:  # a length with a unit ("5px", "10%") or anything else odd: left as a line
        dx, dy = (float(moved[1]), float(moved[2] or 0)) if moved else (math.nan, math.nan)
        x1, y1, x2, y2 = (float(line.get(key, "0")) for key in ("x1", "y1", "x2", "y2"))
    except ValueError:
        return None
    if not all(map(math.isfinite, (dx, dy, x1, y1, x2, y2))):
        return None
    start = f"M{_number(dx + x1)},{_number(dy + y1)}"
    if y1 == y2:
        return f"{start}H{_number(dx + x2)}"
    if x1 == x2:
        return f"{start}V{_number(dy + y2)}"
    return f"{start}L{_number(dx + x2)},{_number(dy + y2)}"


def _number(value: float) -> str:
    """A coordinate to a tenth of a pixel, as ``rounded`` leaves them (never ``-0``)."""
    text = f"{round(value, 1) + 0.0:.1f}"
    return text.removesuffix(".0")


def rounded(svg: str) -> str:
    """The chart without ARIA and classes, and with a tenth of a pixel as the finest step."""
    # Only inside tags: numbers in labels are text, and stay as they are.
    return _TAG.sub(lambda tag: _DECIMALS.sub(r"\1", tag[0]), _NOISE.sub("", svg))


def _one_font(root: ET.Element) -> None:
    """A chart in one typeface names it once, on the root."""
    fonts = {e.get("font-family") for e in root.iter() if e.get("font-family") is not None}
    if len(fonts) == 1:
        for element in root.iter():
            element.attrib.pop("font-family", None)
        root.attrib = {"font-family": fonts.pop() or "", **root.attrib}


def _local_names(root: ET.Element) -> set[str] | None:
    """Tags and attributes as written (``xlink:href``), not as ElementTree's ``{namespace}``
    names; the prefixes used, or None for an element or attribute outside SVG's namespaces."""
    prefixes: set[str] = set()
    for element in root.iter():
        namespace, _, element.tag = element.tag.rpartition("}")
        if namespace not in ("", "{" + _SVG_NS):
            return None
        for key in [k for k in element.attrib if k.startswith("{")]:
            namespace, _, name = key[1:].partition("}")
            if namespace not in _PREFIXES:
                return None
            prefixes.add(_PREFIXES[namespace])
            element.set(_PREFIXES[namespace] + name, element.attrib.pop(key))
    return prefixes


def _tidy(element: ET.Element) -> None:
    """Bottom up: initial values, empty paths and what is wholly transparent gone, attributes
    all children of a group share written on the group, then groups left without attributes
    merged into their parent (grouping first keeps axis ticks and labels apart, each with its
    shared attributes)."""
    children: list[ET.Element] = []
    for child in element:
        _tidy(child)
        for key, value in _DEFAULTS.items():
            if child.get(key) == value:
                del child.attrib[key]
        if child.tag == "g" and not child.attrib:
            children.extend(child)
        elif child.get("opacity") == "0":
            continue  # a label the axis hides where labels would overlap, and the like
        elif not (child.tag == "path" and child.get("d", "") == "" and not len(child)):
            children.append(child)
    element[:] = children
    if element.tag in ("g", "svg") and len(element) > 1:
        _hoist(element)


def _hoist(group: ET.Element) -> None:
    """An attribute every child has with the same value moves up to the group.

    Safe even if the group had another value: the group itself paints nothing, and each child
    overrode the group's value anyway.
    """
    first, *rest = list(group)
    # In the child's attribute order: a set's order changes between runs, and output must not.
    for key in [k for k in first.attrib if k in _INHERITED]:
        value = first.get(key)
        if all(other.get(key) == value for other in rest):
            group.set(key, value or "")
            for child in group:
                del child.attrib[key]


def _drop_inherited(element: ET.Element, inherited: dict[str, str]) -> None:
    """Attributes equal to what the parent already gives, and shapes that paint nothing."""
    children: list[ET.Element] = []
    for child in element:
        for key in _INHERITED & child.attrib.keys():
            if inherited.get(key) == child.get(key):
                del child.attrib[key]
        own = {**inherited, **{k: v for k, v in child.attrib.items() if k in _INHERITED}}
        invisible = own.get("fill", "black") == "none" and own.get("stroke", "none") == "none"
        # A style attribute could paint it after all: only plain attributes are trusted.
        if child.tag in _SHAPES and invisible and not len(child) and "style" not in child.attrib:
            continue
        _drop_inherited(child, own)
        children.append(child)
    element[:] = children


_VERBATIM_OR_BLANKS = re.compile(
    r"<(pre|textarea)\b.*?</\1\s*>|[ \t\r\f]*\n[ \t\r\n\f]*", re.DOTALL | re.IGNORECASE
)


def slim_html(page: str) -> str:
    """The page without its indentation and blank lines: runs of white space that contain a
    line break become one line break, which browsers render the same. Preformatted blocks are
    left exactly as they are, and non-breaking spaces are never touched."""
    return _VERBATIM_OR_BLANKS.sub(lambda m: m[0] if m[1] else "\n", page)


def slim_search_index(text: str) -> str:
    """The search index with its letters as UTF-8, not \\u escapes: a Russian month's index is
    less than half the size."""
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
