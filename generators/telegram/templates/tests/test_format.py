"""telegram_format.py: the agent's Markdown as Telegram HTML, and long answers split into
messages of at most 4,096 characters at paragraph/line boundaries, never cut."""

from __future__ import annotations

import re

import telegram_format as tf


def test_markdown_becomes_telegram_html_and_everything_else_is_escaped() -> None:
    md = (
        "# Result\n**done** with *care*, _style_ and ~~old~~: `a<b && c>d` "
        '[docs](https://example.com/?q=1&r="x")\n- one\n* two\nsnake_case and 2*3*4 stay'
    )
    assert tf.render_html(md) == (
        "<b>Result</b>\n<b>done</b> with <i>care</i>, <i>style</i> and <s>old</s>: <code>a&lt;b &amp;&amp; "
        "c&gt;d</code> "
        '<a href="https://example.com/?q=1&amp;r=&quot;x&quot;">docs</a>\n• one\n• two\nsnake_case and 2*3*4 stay'
    )
    assert tf.render_html("<script>alert(1)</script> & co") == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert tf.render_html("[x](javascript:alert(1))") == "[x](javascript:alert(1))"  # only http(s) links


def test_fenced_code_is_pre_with_its_language_and_an_unclosed_fence_runs_to_the_end() -> None:
    assert tf.render_html("```python\nif a < b:\n\n    **x**\n```\nafter") == (
        '<pre><code class="language-python">if a &lt; b:\n\n    **x**</code></pre>\nafter'
    )
    assert tf.render_html("see\n```\nx & y") == "see\n<pre>x &amp; y</pre>"


def test_a_short_answer_is_one_part_and_no_text_is_none() -> None:
    assert tf.split_message("hello **you**") == ["hello **you**"]
    assert tf.split_message("") == [] and tf.split_message("\n\n") == []


def fits(parts: list[str], limit: int = tf.MAX_MESSAGE) -> bool:
    return all(len(p) <= limit and len(tf.render_html(p)) <= limit for p in parts)


def test_long_answers_split_between_paragraphs_first() -> None:
    paragraphs = [
        f"paragraph {i}\n" + "\n".join(f"p{i} line {j} " + "lorem ipsum " * 6 for j in range(6)) for i in range(40)
    ]
    text = "\n\n".join(paragraphs)
    parts = tf.split_message(text)
    assert len(parts) >= 3 and fits(parts)
    assert "\n\n".join(parts) == text  # nothing lost, nothing added, order kept
    for part in parts:  # every part is whole paragraphs
        assert all(block in paragraphs for block in part.split("\n\n"))


def test_a_huge_paragraph_splits_between_lines_and_a_huge_line_between_words() -> None:
    lines = [f"line {i:04d} " + "word " * 15 for i in range(600)]
    parts = tf.split_message("\n".join(lines))
    assert fits(parts) and "\n".join(parts) == "\n".join(lines)
    assert all(re.fullmatch(r"line \d{4} (word ){15}", line) for p in parts for line in p.split("\n"))
    words = " ".join(f"w{i}" for i in range(3000))
    parts = tf.split_message(words)
    assert len(parts) >= 3 and fits(parts) and "".join(parts) == words
    assert all(p.endswith(" ") for p in parts[:-1])  # cut after a space, never inside a word


def test_a_word_longer_than_a_message_and_text_that_grows_as_html_still_fit() -> None:
    blob = "x" * 10_000
    parts = tf.split_message(blob)
    assert [len(p) for p in parts] == [4096, 4096, 1808] and "".join(parts) == blob
    amps = "&" * 6000  # each & is 5 characters as HTML (&amp;)
    parts = tf.split_message(amps)
    assert fits(parts) and "".join(parts) == amps and len(parts) == 8


def test_a_long_code_block_is_closed_and_reopened_in_each_part() -> None:
    code = "\n".join(f"print({i} < {i + 1})" for i in range(700))
    parts = tf.split_message(f"```python\n{code}\n```")
    assert len(parts) >= 3 and fits(parts)
    assert all(p.startswith("```python\n") and p.endswith("\n```") for p in parts)
    assert "\n".join(p[len("```python\n") : -len("\n```")] for p in parts) == code
    assert all(tf.render_html(p).startswith('<pre><code class="language-python">') for p in parts)
