"""Hostile and broken XML: every one refused fast with a sentence, nothing leaks or expands."""

import time

import pytest

from accord.charter.formats import ImportRefused, limits, read

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body>
<article><content><p>&lol9;</p></content></article></body></act></akomaNtoso>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body>
<article><content><p>&secret;</p></content></article></body></act></akomaNtoso>"""


def test_billion_laughs_is_refused_at_its_doctype() -> None:
    with pytest.raises(ImportRefused, match="DOCTYPE at line 2"):
        read(LAUGHS, "x.xml", language="en")


def test_an_external_entity_is_refused_and_never_read() -> None:
    with pytest.raises(ImportRefused, match="DOCTYPE") as refused:
        read(EXTERNAL, "x.xml", language="en")
    assert "root:" not in str(refused.value)


def test_a_hundred_thousand_deep_nesting_is_refused_fast() -> None:
    deep = b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body>'
    deep += b"<part>" * 100_000 + b"</part>" * 100_000 + b"</body></act></akomaNtoso>"
    started = time.monotonic()
    with pytest.raises(ImportRefused, match=f"more than {limits.MAX_XML_DEPTH} deep"):
        read(deep, "x.xml", language="en")
    assert time.monotonic() - started < 5


def test_truncated_xml_is_refused_naming_the_line() -> None:
    truncated = (
        b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">\n'
        b"<act>\n<body>\n<article"
    )
    with pytest.raises(ImportRefused, match=r"not well-formed at line 4"):
        read(truncated, "x.xml", language="en")


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportRefused, match="at most 100 can be imported"):
        read(b"# T\n\n" + b"x" * 200, "x.md", language="en")


def test_an_old_word_file_is_refused_with_what_to_do() -> None:
    with pytest.raises(ImportRefused, match=r"save the text as Word \(.docx\)"):
        read(b"\xd0\xcf\x11\xe0", "charter.doc", language="en")
