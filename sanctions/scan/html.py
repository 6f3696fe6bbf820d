"""The visible text of an HTML page, read by an event parser with no depth or attribute limit.

A tree builder (lxml/libxml2) stops nesting at a fixed depth and silently drops whatever
follows, and refuses attributes over 10 MB: a page built to hide a name behind 300 ``<div>``
levels would scan clean. The standard library's event parser keeps no tree, so nesting
costs nothing and nothing is dropped. Script, style, noscript and template content is not
text; block elements end a line.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "noscript", "template"})
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "td", "th", "title", "h1", "h2", "h3", "h4", "h5", "h6",
     "table", "ul", "ol", "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt"}
)  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text of an HTML document: one line per block, blank lines and outer spaces removed."""
    if not markup.strip():
        return ""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
