"""Safe, streaming XML for the Disqus and WordPress parsers.

defusedxml's iterparse refuses a DTD (so no entity expansion: billion laughs
dies at its `<!DOCTYPE`), entity declarations and external references; the
standard library never resolves XInclude or fetches anything by itself. Every
finished element at the depths a parser asks for is handed over, then cleared
and detached from its parent, so memory stays flat however long the file is.
"""

from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from broadsheet.core.errors import InvalidInput


def local_name(tag: str) -> str:
    """`{namespace}name` -> `name`: sources differ in namespace versions, never in names."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def child(element: Element, name: str) -> Element | None:
    for item in element:
        if local_name(item.tag) == name:
            return item
    return None


def child_text(element: Element, name: str) -> str:
    found = child(element, name)
    return "".join(found.itertext()).strip() if found is not None else ""


def attribute(element: Element, name: str) -> str:
    """An attribute by local name, whatever its namespace (Disqus's `dsq:id`)."""
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return ""


def finished_elements(
    stream: BinaryIO, *, root: str, depths: frozenset[int], label: str
) -> Iterator[tuple[int, Element]]:
    """(depth, element) for each element that ends at one of `depths` (the root is depth 0).

    Refuses, with a message, a file whose root element is not `root`, and any
    DTD, entity, external reference or malformed byte (nothing is imported).
    """
    stack: list[Element] = []
    try:
        for event, element in iterparse(
            stream,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        ):
            if event == "start":
                if not stack and local_name(element.tag) != root:
                    raise InvalidInput(
                        f"This is not {label}: its root element is "
                        f"<{local_name(element.tag)}>, not <{root}>.",
                        code="wrong_format",
                    )
                stack.append(element)
                continue
            stack.pop()
            depth = len(stack)
            if depth in depths:
                yield depth, element
                element.clear()
                stack[-1].remove(element)
    except DTDForbidden:
        raise InvalidInput(
            f"The file declares a document type (DTD), which {label} never does; "
            "it is refused so that no entity can expand or be fetched. Nothing was imported.",
            code="xml_dtd",
        ) from None
    except EntitiesForbidden:
        raise InvalidInput(
            "The file declares XML entities; they are refused (no expansion). "
            "Nothing was imported.",
            code="xml_entities",
        ) from None
    except ExternalReferenceForbidden:
        raise InvalidInput(
            "The file refers to an external resource; nothing is fetched. Nothing was imported.",
            code="xml_external",
        ) from None
    except ParseError as error:
        line, column = error.position
        raise InvalidInput(
            f"The file is not well-formed XML at line {line}, column {column} "
            f"({ErrorString(error.code)}); it may be truncated, or not "
            "UTF-8 as declared. Nothing was imported.",
            code="xml_malformed",
        ) from None
