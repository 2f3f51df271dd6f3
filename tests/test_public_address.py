"""A site whose base_url only this machine or its network can reach: it previews, but says that
what is shared (sitemap, canonical links, feeds, QR codes) would open nothing, `--strict`
refuses it, and nothing printed carries such an address."""

from __future__ import annotations

import re

import pytest

from sitegen.build import load_site
from sitegen.render.brochures import Printer, draw_brochures
from sitegen.render.pages import RenderCaches, Renderer
from tests.conftest import MINIMAL_SITE

PUBLIC = "https://parks.example.cn/alliance/"
LOCAL = [
    "http://localhost:8000/",
    "http://127.0.0.1:8000/",
    "http://127.1.2.3/",
    "http://[::1]:8000/",
    "http://10.0.0.5/parks/",
    "http://172.20.1.1/",
    "http://192.168.1.20:8080/",
    "http://169.254.10.10/",
    "http://[fe80::1]/",
    "http://office-pc.local/",
    "http://intranet/",
    "http://0.0.0.0:8000/",
]


def with_base_url(make_site, line: str | None, brochures: bool = False):
    settings = MINIMAL_SITE["content/site.yaml"].replace(f"base_url: {PUBLIC}\n", f"{line}\n" if line else "")
    return make_site(
        {"content/site.yaml": settings.replace("brochures: false", f"brochures: {str(brochures).lower()}")}
    )


def base_url_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "base_url" in line and "warning" in line]


@pytest.mark.parametrize("address", LOCAL)
def test_a_local_base_url_is_a_warning_naming_its_line_and_strict_refuses_it(make_site, run, address):
    site = with_base_url(make_site, f"base_url: {address}")
    code, _, err = run("check", "-s", str(site))
    assert code == 0, err
    (warning,) = base_url_warnings(err)
    assert warning.startswith("content/site.yaml:3: warning: ")
    assert "QR" in warning and "open nothing" in warning
    assert "hint: " in err and "https://parks.example.cn/" in err and "SITEGEN_BASE_URL" in err
    code, _, err = run("check", "-s", str(site), "--strict")
    assert code == 1 and base_url_warnings(err)


def test_a_missing_base_url_builds_the_preview_and_says_what_to_set(make_site, run):
    site = with_base_url(make_site, None)
    code, out, err = run("build", "-s", str(site))
    assert code == 0, err
    (warning,) = base_url_warnings(err)
    assert "base_url" in warning and "is not set" in warning
    assert "write base_url: the site's public address" in err
    page = (site / "build" / "parks" / "qilu-software-park" / "index.html").read_text(encoding="utf-8")
    assert 'class="print-qr"' not in page
    assert run("build", "-s", str(site), "--strict")[0] == 1


def test_a_public_base_url_or_one_from_the_environment_gives_no_warning(make_site, run, monkeypatch):
    assert base_url_warnings(run("check", "-s", str(make_site()))[2]) == []
    site = with_base_url(make_site, "base_url: http://localhost:8000/")
    monkeypatch.setenv("SITEGEN_BASE_URL", "https://parks.example.cn/")
    assert base_url_warnings(run("check", "-s", str(site))[2]) == []
    monkeypatch.setenv("SITEGEN_BASE_URL", "http://192.168.0.9/")
    (warning,) = base_url_warnings(run("check", "-s", str(make_site()))[2])
    assert warning.startswith("$SITEGEN_BASE_URL: warning: ")


def brochures_of(site) -> dict[str, str]:
    loaded, theme, catalogue, _ = load_site(site, False)
    renderer = Renderer(loaded, theme, catalogue, RenderCaches())
    printer = Printer(family="sans-serif", identity="")
    return {brochure.path: brochure.html for brochure in draw_brochures(renderer, printer, loaded.parks, True)}


@pytest.mark.parametrize("address", ["http://localhost:8000/", "http://192.168.1.20/", None])
def test_brochures_carry_no_qr_code_or_address_of_a_local_site(make_site, address):
    site = with_base_url(make_site, f"base_url: {address}" if address else None, brochures=True)
    drawn = brochures_of(site)
    assert drawn
    shown = (address or "http://localhost:8000/").rstrip("/")
    for path, html in drawn.items():
        without_locator_map = re.sub(r'<svg class="locator".*?</svg>', "", html, flags=re.S)
        assert "<svg" not in without_locator_map and 'class="qr"' not in html, path
        assert shown not in html.split("</head>")[1].replace(f'href="{shown}', ""), path


def test_a_build_for_a_local_address_warns_and_prints_no_qr_code_on_its_pages(make_site, run):
    site = with_base_url(make_site, "base_url: http://localhost:8000/", brochures=True)
    code, _, err = run("build", "-s", str(site))
    assert code == 0, err
    assert "brochures" in base_url_warnings(err)[0]
    page = (site / "build" / "en" / "parks" / "qilu-software-park" / "index.html").read_text(encoding="utf-8")
    assert "print-qr" not in page


def test_a_public_sites_brochures_carry_the_qr_code_and_address(make_site):
    site = with_base_url(make_site, f"base_url: {PUBLIC}", brochures=True)
    drawn = brochures_of(site)
    park = drawn["brochures/parks/qilu-software-park.en.pdf"]
    assert "<svg" in park and f"{PUBLIC}en/parks/qilu-software-park/</a>" in park
