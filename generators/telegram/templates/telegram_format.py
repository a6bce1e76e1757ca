"""How puruto-telegram sends an agent's answer: its Markdown rendered as Telegram HTML
(everything else escaped, so no text can inject markup), split at paragraph and line
boundaries into messages Telegram accepts (at most 4,096 characters each). Nothing is ever
cut: a line longer than a message is split at spaces, a word longer than a message at the
limit. Standard library only; pure functions.
"""

from __future__ import annotations

import html
import re

MAX_MESSAGE = 4096  # Telegram's limit for one message's text

FENCE = re.compile(r"^\s*```\s*([\w+#.-]*)\s*$")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)[-*+]\s+")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
ITALIC = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"
)
SLOT = "\x00"


def render_inline(text: str) -> str:
    """One line of Markdown (no fences) -> Telegram HTML."""
    codes: list[str] = []

    def keep(m: re.Match[str]) -> str:
        codes.append(f"<code>{html.escape(m.group(1), quote=False)}</code>")
        return f"{SLOT}{len(codes) - 1}{SLOT}"

    out = html.escape(INLINE_CODE.sub(keep, text.replace(SLOT, "")), quote=False)
    out = LINK.sub(lambda m: f'<a href="{m.group(2).replace(chr(34), "&quot;")}">{m.group(1)}</a>', out)
    out = BOLD.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", out)
    out = STRIKE.sub(r"<s>\1</s>", out)
    out = ITALIC.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", out)
    return re.sub(f"{SLOT}(\\d+){SLOT}", lambda m: codes[int(m.group(1))], out)


def render_html(markdown: str) -> str:
    """Markdown of an agent (headings, bold, italic, strike, inline code, fenced code,
    links, bullets) -> Telegram HTML (parse_mode HTML). Unknown syntax stays as text."""
    out: list[str] = []
    code: list[str] | None = None
    lang = ""
    for line in markdown.split("\n"):
        fence = FENCE.match(line)
        if code is not None:
            if fence and not fence.group(1):
                out.append(pre(code, lang))
                code = None
            else:
                code.append(line)
            continue
        if fence:
            code, lang = [], fence.group(1)
            continue
        heading = HEADING.match(line)
        if heading:
            out.append(f"<b>{render_inline(heading.group(1))}</b>")
            continue
        out.append(render_inline(BULLET.sub(lambda m: f"{m.group(1)}• ", line, count=1)))
    if code is not None:  # an unclosed fence runs to the end
        out.append(pre(code, lang))
    return "\n".join(out)


def pre(lines: list[str], lang: str) -> str:
    body = html.escape("\n".join(lines), quote=False)
    return f'<pre><code class="language-{lang}">{body}</code></pre>' if lang else f"<pre>{body}</pre>"


def size(markdown: str) -> int:
    """What a part costs: the longer of its text (the plain fallback) and its HTML."""
    return max(len(markdown), len(render_html(markdown)))


def blocks(markdown: str) -> list[str]:
    """Paragraphs (split at blank lines); a fenced code block stays in one block, blank lines and all."""
    out: list[str] = []
    current: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        fence = FENCE.match(line)
        if in_code:
            in_code = not (fence and not fence.group(1))
        elif fence:
            in_code = True
        elif not line.strip():
            if current:
                out.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def pack(units: list[str], sep: str, limit: int) -> list[str]:
    """Greedy: as many consecutive units per part as fit; each unit already fits alone.
    Joined by a newline, sizes add up (the rendering works line by line, a code block is
    one unit); joined by "" (pieces of one line) the whole part is measured."""
    parts: list[str] = []
    current: list[str] = []
    text_len = html_len = 0
    for unit in units:
        if sep:
            u_text, u_html = len(unit), len(render_html(unit))
            fits = max(text_len + len(sep) + u_text, html_len + len(sep) + u_html) <= limit
        else:
            fits = size("".join([*current, unit])) <= limit
        if current and not fits:
            parts.append(sep.join(current))
            current, text_len, html_len = [], 0, 0
        if sep:
            text_len += (len(sep) if current else 0) + u_text
            html_len += (len(sep) if current else 0) + u_html
        current.append(unit)
    if current:
        parts.append(sep.join(current))
    return parts


def split_words(line: str, limit: int) -> list[str]:
    """A line too long for one message: split at spaces, a too long word at the limit."""
    pieces: list[str] = []
    for word in re.split(r"(?<= )", line):
        while size(word) > limit:
            cut = longest_prefix(word, limit)
            pieces.append(word[:cut])
            word = word[cut:]
        if word:
            pieces.append(word)
    return pack(pieces, "", limit)


def longest_prefix(word: str, limit: int) -> int:
    """The longest prefix of `word` that fits (binary search; one character always fits)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(word[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def split_block(block: str, limit: int) -> list[str]:
    """A paragraph or code block too long for one message, split at its lines; a code
    block's parts are each closed and reopened with its fence, so each renders alone."""
    lines = block.split("\n")
    fence = FENCE.match(lines[0])
    if fence and len(lines) > 1:
        last = FENCE.match(lines[-1])
        closed = last is not None and not last.group(1)
        inner = lines[1:-1] if closed else lines[1:]
        opener = lines[0].strip()
        units = [u for line in inner for u in fit(line, limit - len(opener) - 64)]
        return [f"{opener}\n{part}\n```" for part in pack_code(units, opener, limit)]
    return pack([u for line in lines for u in fit(line, limit)], "\n", limit)


def pack_code(lines: list[str], opener: str, limit: int) -> list[str]:
    """Lines of a code block into parts that fit once wrapped in its fence (and <pre>)."""
    overhead = len(opener) + len("\n\n```") + len('<pre><code class="language-"></code></pre>')
    parts: list[str] = []
    current: list[str] = []
    used = overhead
    for line in lines:
        cost = max(len(line), len(html.escape(line, quote=False))) + 1
        if current and used + cost > limit:
            parts.append("\n".join(current))
            current, used = [], overhead
        current.append(line)
        used += cost
    if current:
        parts.append("\n".join(current))
    return parts


def fit(line: str, limit: int) -> list[str]:
    return [line] if size(line) <= limit else split_words(line, limit)


def split_message(markdown: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The answer as Markdown parts, each at most `limit` characters as text and as HTML,
    cut only between paragraphs, else between lines, else between words. [] for no text."""
    units: list[str] = []
    for block in blocks(markdown.strip("\n")):
        units.extend([block] if size(block) <= limit else split_block(block, limit))
    return pack(units, "\n\n", limit)
