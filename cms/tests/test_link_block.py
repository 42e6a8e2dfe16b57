"""Links to pages: only published pages are linked, on the site and in the API."""

import pytest

from cms.blocks import LinkBlock
from home.factories import StandardPageFactory


@pytest.fixture
def pages(home_page):
    live = StandardPageFactory(parent=home_page, title="Published page")
    draft = StandardPageFactory(parent=home_page, title="Secret draft", live=False)
    return live, draft


def link(**value):
    block = LinkBlock()
    return block, block.to_python({"label": "", "page": None, "url": "", **value})


def test_a_link_to_a_live_page_uses_its_url_and_title(pages):
    live, _ = pages
    block, value = link(page=live.pk)
    assert (value.href, value.text) == (live.url, "Published page")
    assert 'href="/published-page/"' in block.render(value)
    assert block.get_api_representation(value)["url"] == live.url


def test_a_link_to_an_unpublished_page_renders_nothing(pages):
    _, draft = pages
    block, value = link(label="", page=draft.pk)
    assert value.href == ""
    assert block.render(value).strip() == ""
    assert "Secret draft" not in str(block.get_api_representation(value))


def test_an_external_link_keeps_its_label():
    block, value = link(label="WHO", url="https://www.who.int/")
    assert (value.href, value.text) == ("https://www.who.int/", "WHO")
    assert 'class="external"' in block.render(value)
