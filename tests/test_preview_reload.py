"""After a save the preview looks again only at the folders the watcher saw saves in: what it
keeps of the other collections must still make the site a build makes, problems included."""

from __future__ import annotations

import pytest
from conftest import write_site
from test_incremental import INVESTED, INVESTMENT_DAY, JINAN_GRANT, PLOT, YANTAI
from test_investment_pages import INVESTMENT_SITE
from test_preview import tree

from sitegen.build import Pipeline
from sitegen.errors import SiteError
from sitegen.publish.store import MemoryStore

SAVES_IN_TURN = [
    {JINAN_GRANT: INVESTED[JINAN_GRANT].replace("amount: 500 万元", "amount: 800 万元")},
    {YANTAI: INVESTED[YANTAI].replace("city: yantai", "city: jinan")},
    {PLOT: INVESTED[PLOT].replace("status: available", "status: sold")},
    {JINAN_GRANT: INVESTED[JINAN_GRANT].replace("cities: [jinan]", "cities: [yantai]")},
    {YANTAI: INVESTED[YANTAI]},
]


@pytest.fixture(autouse=True)
def investment_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", INVESTMENT_DAY)


def test_saves_in_one_collection_after_another_keep_the_preview_equal_to_a_build(make_site, tmp_path, run):
    site = make_site(INVESTMENT_SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    for saved in SAVES_IN_TURN:
        write_site(site, saved)
        preview.run({site / path for path in saved})
    preview.complete()
    assert run("build", "-s", str(site), "-o", str(tmp_path / "fresh"))[0] == 0
    assert tree(tmp_path / "preview" / "site") == tree(tmp_path / "fresh")


def test_an_error_in_a_folder_not_saved_in_still_stops_the_preview(make_site, tmp_path):
    site = make_site(INVESTMENT_SITE)
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    preview.run()
    broken = INVESTED[JINAN_GRANT].replace("cities: [jinan]", "cities: [jinann]")
    write_site(site, {JINAN_GRANT: broken})
    with pytest.raises(SiteError):
        preview.run({site / JINAN_GRANT})
    write_site(site, {YANTAI: INVESTED[YANTAI].replace("city: yantai", "city: jinan")})
    with pytest.raises(SiteError) as raised:
        preview.run({site / YANTAI})
    assert JINAN_GRANT in raised.value.problems.report()
    assert preview.problems is not None and JINAN_GRANT in preview.problems.report()


def test_a_warning_in_a_folder_not_saved_in_is_still_given(make_site, tmp_path):
    site = make_site({**INVESTMENT_SITE, PLOT: INVESTED[PLOT] + "地块临近高速出口。\n"})  # and no English text
    preview = Pipeline(site, MemoryStore(tmp_path / "preview" / "site"))
    first = preview.run()
    assert any(warning.path == PLOT for warning in first.warnings)
    write_site(site, {YANTAI: INVESTED[YANTAI].replace("city: yantai", "city: jinan")})
    after = preview.run({site / YANTAI})
    assert after.warnings == first.warnings
