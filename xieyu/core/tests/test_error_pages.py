"""A missing page answers in Chinese, in the site's layout, with a way home."""

import pytest


@pytest.mark.parametrize("persona", [None, "parent_zhang"])
def test_a_missing_page_is_chinese_with_a_way_home(client_for, persona):
    r = client_for(persona).get("/no-such-page/")
    html = r.content.decode()
    assert r.status_code == 404
    assert "页面不存在" in html and "返回首页" in html and "Not Found" not in html
