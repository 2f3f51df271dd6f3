"""The editor's protocol endpoint answers only the editor page of this preview: a web page from
another site open in the same browser cannot read or save content through it."""

from __future__ import annotations

import io
import json

import pytest

from sitegen.preview.cms_backend import EditorBackend


def post(backend: EditorBackend, body: dict, **headers: str) -> tuple[str, dict]:
    data = json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1",
        "QUERY_STRING": "tab=one",
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json; charset=utf-8",
        **headers,
    }
    answered: list[str] = []
    chunks = backend.answer(environ, lambda status, headers: answered.append(status))
    assert chunks is not None
    return answered[0], json.loads(b"".join(chunks))


def test_the_editor_page_of_this_preview_reads_entries(make_site):
    backend = EditorBackend(make_site())
    status, entry = post(
        backend,
        {"action": "getEntry", "params": {"path": "content/parks/qilu-software-park.zh.md"}},
        HTTP_ORIGIN="http://127.0.0.1:8000",
    )
    assert status == "200 OK"
    assert entry["file"]["path"] == "content/parks/qilu-software-park.zh.md"
    assert "name: {zh: 齐鲁软件园" in entry["data"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example.com"},
        {"CONTENT_TYPE": "text/plain"},
        {"HTTP_HOST": "evil.example.com:8000"},
    ],
    ids=["another-site", "form-post", "rebound-name"],
)
def test_a_request_from_elsewhere_is_refused(make_site, headers):
    site = make_site()
    before = (site / "content/parks/qilu-software-park.md").read_bytes()
    raw = "---\nname: {zh: 改掉, en: Changed}\n---\n"
    status, answer = post(
        EditorBackend(site),
        {
            "action": "persistEntry",
            "params": {"dataFiles": [{"path": "content/parks/qilu-software-park.zh.md", "raw": raw}], "assets": []},
        },
        **headers,
    )
    assert status.startswith("403")
    assert "only the editor at /admin/ of this preview" in answer["error"]
    assert (site / "content/parks/qilu-software-park.md").read_bytes() == before


def test_a_refused_save_answers_with_the_sites_message(make_site):
    site = make_site()
    status, answer = post(
        EditorBackend(site),
        {"action": "persistEntry", "params": {"dataFiles": [{"path": "content/../../x.md", "raw": ""}], "assets": []}},
    )
    assert status.startswith("403")
    assert "is not inside content/" in answer["error"] and "hint:" in answer["error"]
