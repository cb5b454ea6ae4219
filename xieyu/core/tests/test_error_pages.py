"""A missing page answers in Chinese, in the site's layout, with a way home."""

import pytest


@pytest.mark.parametrize("persona", [None, "parent_zhang"])
def test_a_missing_page_is_chinese_with_a_way_home(client_for, persona):
    r = client_for(persona).get("/no-such-page/")
    html = r.content.decode()
    assert r.status_code == 404
    assert "页面不存在" in html and "返回首页" in html and "Not Found" not in html


def test_a_nul_character_in_the_query_string_is_a_400_page_in_chinese(cast, client_for):
    client = client_for("head_teacher_li")
    client.raise_request_exception = False
    for response in (
        client.get("/care/registry/propose/", {"q": "刘\x00"}),
        client.get("/questions/kb/", {"q": "作业\x00"}),
    ):
        assert response.status_code == 400
        assert "<h1>请求有误</h1>" in response.content.decode()
    assert client.get("/care/registry/propose/", {"q": "刘"}).status_code == 200
