from bot.views import kit as render


def test_sections_pack_lines_under_slacks_section_limit():
    lines = [f"line {i} " + "x" * 90 for i in range(100)]  # ~10,000 characters
    blocks = render.sections(lines)
    texts = [b["text"]["text"] for b in blocks]
    assert len(blocks) == 4 and all(len(t) <= render.SECTION_TEXT_LIMIT for t in texts)
    assert "\n".join(texts).split("\n") == lines  # nothing lost, order kept


def test_sections_of_nothing_is_no_block():
    assert render.sections([]) == []
