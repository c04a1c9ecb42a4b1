"""The bundled Stockholms län roster loads and holds the facts of DOMAIN.md §Roster."""

from __future__ import annotations

import tomllib
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.domain.roster import FunctionRef, Level, Mode, Roster
from bot.roster.loader import assemble, bundled_playbooks, default_roster_path, load_roster
from bot.roster.locate import locate

MUNICIPALITIES = {
    "botkyrka": "Botkyrka",
    "danderyd": "Danderyd",
    "ekero": "Ekerö",
    "haninge": "Haninge",
    "huddinge": "Huddinge",
    "jarfalla": "Järfälla",
    "lidingo": "Lidingö",
    "nacka": "Nacka",
    "norrtalje": "Norrtälje",
    "nykvarn": "Nykvarn",
    "nynashamn": "Nynäshamn",
    "salem": "Salem",
    "sigtuna": "Sigtuna",
    "sollentuna": "Sollentuna",
    "solna": "Solna",
    "stockholm": "Stockholm",
    "sundbyberg": "Sundbyberg",
    "sodertalje": "Södertälje",
    "tyreso": "Tyresö",
    "taby": "Täby",
    "upplands-bro": "Upplands-Bro",
    "upplands-vasby": "Upplands Väsby",
    "vallentuna": "Vallentuna",
    "vaxholm": "Vaxholm",
    "varmdo": "Värmdö",
    "osteraker": "Österåker",
}
OTHER_MEMBERS = {
    "lansstyrelsen",
    "region-stockholm",
    "polisen",
    "sos-alarm",
    "trafikverket",
    "ssbf",
    "sbff",
    "attunda",
    "rtj-norrtalje",
    "stockholms-hamnar",
    "kustbevakningen",
    "forsvarsmakten",
    "samordningskansliet",
}
# Times across the year, including both DST switches of 2026 and a year-end.
TIMES = [
    datetime(2026, 1, 5, 7, 0, tzinfo=UTC),
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
    datetime(2026, 7, 15, 12, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2025, 6, 1, 0, 0, tzinfo=UTC),  # before the rotations start
]


@pytest.fixture(scope="module")
def roster() -> Roster:
    return load_roster(default_roster_path())


def _norm(text: str) -> str:
    stripped = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in stripped if not unicodedata.combining(c))


FILES = {"region.toml", "people.toml", "staffing.toml", "actors.toml", "forums.toml"}


def test_default_path_is_the_bundled_folder() -> None:
    path = default_roster_path()
    assert path.is_dir()
    assert path.parts[-4:] == ("bot", "roster", "bundled", "stockholm")
    assert {p.name for p in path.glob("*.toml")} == FILES


def test_people_and_rotations_live_apart_from_actors_and_forums() -> None:
    """An administrator finds people in people.toml, who holds what in staffing.toml."""
    folder = default_roster_path()
    data = {name: tomllib.loads((folder / name).read_text("utf-8")) for name in FILES}
    assert set(data["people.toml"]) == {"people"}
    assert set(data["staffing.toml"]) == {"staffing"}
    assert set(data["actors.toml"]) == {"actors"} and set(data["forums.toml"]) == {"forums"}
    for actor in data["actors.toml"]["actors"]:
        for fn in actor["functions"]:
            assert not {"holder", "deputy", "rotation"} & set(fn), fn["key"]


def test_region(roster: Roster) -> None:
    region = roster.region
    assert (region.name, region.timezone) == ("Stockholms län", "Europe/Stockholm")
    assert region.convener_ref == FunctionRef("tib", "lansstyrelsen")
    assert (region.ack_minutes, region.reminder_minutes) == (10, [15, 5])


def test_actors_are_the_39_members_plus_two_external(roster: Roster) -> None:
    keys = set(roster.actors_by_key)
    assert len(roster.actors) == len(keys) == 41
    assert keys == set(MUNICIPALITIES) | OTHER_MEMBERS | {"mcf", "smhi"}
    assert {a.key for a in roster.actors if a.kind == "extern"} == {"mcf", "smhi"}
    assert {a.key for a in roster.actors if a.kind == "kommun"} == set(MUNICIPALITIES)
    for key, short in MUNICIPALITIES.items():
        actor = roster.actor(key)
        assert actor.short == short
        assert actor.name.startswith(short) and actor.name.endswith((" kommun", " stad"))
        fns = {f.key for f in actor.functions}
        assert {"tib", "sakerhetschef", "kommundirektor", "kommunikator"} <= fns
    lst = roster.actor("lansstyrelsen")
    assert lst.name == "Länsstyrelsen i Stockholms län"
    assert {"Länsstyrelsen", "Lst"} <= set(lst.aliases)
    assert "Regionen" in roster.actor("region-stockholm").aliases
    assert roster.actor("region-stockholm").function("sl-trafikledning") is not None
    assert "MSB" in roster.actor("mcf").aliases
    kansli = {f.key for f in roster.actor("samordningskansliet").functions}
    assert kansli == {"rsib", "samordningschef", "kommunikationskoordinator"}


def test_every_actor_has_a_rotating_duty_function(roster: Roster) -> None:
    for actor in roster.actors:
        assert actor.fallback is not None, actor.key
        duty = actor.function(actor.fallback)
        assert duty is not None and duty.rotation is not None, actor.key
        assert len(duty.rotation.people) == 3
        start = duty.rotation.start
        assert (start.weekday(), start.hour, start.utcoffset()) == (0, 8, timedelta(hours=1))
        assert duty.rotation.shift_hours == 168


def test_names_and_aliases_do_not_collide(roster: Roster) -> None:
    names = Counter(
        n
        for a in roster.actors
        for n in {_norm(x) for x in (a.key, a.name, a.short or "", *a.aliases)} - {""}
    )
    assert [n for n, c in names.items() if c > 1] == []
    for actor in roster.actors:
        fn_names = Counter(
            n for f in actor.functions for n in {_norm(x) for x in (f.key, f.name, *f.aliases)}
        )
        assert [n for n, c in fn_names.items() if c > 1] == [], actor.key
        assert all(f.aliases for f in actor.functions), actor.key
        assert all(f.key.isascii() for f in actor.functions)
    for items in (roster.forums, roster.scenarios):
        labels = Counter(n for i in items for n in {_norm(x) for x in (i.key, i.name, *i.aliases)})
        assert [n for n, c in labels.items() if c > 1] == []


def test_labels_use_the_short_alias(roster: Roster) -> None:
    assert roster.function_label(FunctionRef("tib", "lansstyrelsen")) == "TiB Länsstyrelsen"
    assert roster.function_label(FunctionRef("vakthavande-befal", "polisen")) == "VB RLC Polisen"
    assert roster.function_label(FunctionRef("operativ-chef", "ssbf")) == "OC SSBF"
    label = roster.function_label(FunctionRef("lagesbild", "lansstyrelsen"))
    assert label == "Lägesbildsansvarig Länsstyrelsen"


def test_people_are_placeholders_on_samverkan_test(roster: Roster) -> None:
    assert len(roster.people) > 300
    for person in roster.people:
        assert person.matrix_id == f"@{person.key}:samverkan.test"
        assert person.email == f"{person.key}@samverkan.test"
        assert person.name.endswith("(platshållare)")
    names = Counter(p.name for p in roster.people)
    assert [n for n, c in names.items() if c > 1] == []
    assert roster.person("lst-tib-1").name == "Anna Lind (platshållare)"
    used = {p for a in roster.actors for f in a.functions for p in f.members()}
    assert used == set(roster.people_by_key)  # nobody listed without a function


def test_every_function_has_a_holder_and_a_deputy_at_any_time(roster: Roster) -> None:
    for actor in roster.actors:
        for fn in actor.functions:
            ref = FunctionRef(fn.key, actor.key)
            for at in TIMES:
                holder = roster.holder(ref, at)
                deputy = roster.deputy(ref, at)
                assert holder in roster.people_by_key, (ref, at)
                assert deputy is not None and deputy in roster.people_by_key, (ref, at)
                assert deputy != holder
                assert roster.holds(holder, ref)


def test_rotations_hand_over_at_the_shift_boundary(roster: Roster) -> None:
    tib = FunctionRef("tib", "lansstyrelsen")
    monday_0800 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 CET, week 9
    before = roster.holder(tib, monday_0800 - timedelta(seconds=1))
    after = roster.holder(tib, monday_0800)
    assert (before, after) == ("lst-tib-2", "lst-tib-3")
    assert roster.holder(tib, monday_0800 + timedelta(days=7)) == "lst-tib-1"
    assert roster.deputy(tib, monday_0800) == "lst-tib-1"
    rotating = [f for a in roster.actors for f in a.functions if f.rotation is not None]
    assert len(rotating) > 41
    for fn in rotating:
        assert fn.rotation is not None
        boundary = fn.rotation.start + timedelta(hours=fn.rotation.shift_hours * 5)
        assert fn.holder_at(boundary - timedelta(minutes=1)) != fn.holder_at(boundary)
        assert fn.holder_at(boundary) == fn.holder_at(boundary + timedelta(hours=167))


def test_mandates(roster: Roster) -> None:
    def mandate(ref: str) -> set[Level]:
        return set(roster.function(FunctionRef.parse(ref)).mandate)

    duty = {Level.COORDINATING, Level.EXECUTIVE}
    assert mandate("tib@lansstyrelsen") == duty
    for ref in (
        "lansoverdirektor@lansstyrelsen",
        "regiondirektor@region-stockholm",
        "polisregionchef@polisen",
        "kommundirektor@botkyrka",
        "raddningschef@attunda",
    ):
        assert mandate(ref) == {Level.DIRECTING}, ref
    for ref in ("vakthavande-befal@polisen", "operativ-chef@sbff", "tib@region-stockholm"):
        assert mandate(ref) == duty, ref
    assert Level.DIRECTING in roster.mandate_levels("lst-lansoverdirektor-1")


def test_coordinating_forum_calls_every_member_duty_function(roster: Roster) -> None:
    forum = roster.forum("samordnande")
    assert (forum.level, forum.mode, forum.escalates_to) == (
        Level.COORDINATING,
        Mode.ACTIVATED,
        "inriktande",
    )
    calls = set(forum.call_refs)
    assert len(calls) == len(forum.calls) == 45
    members = [a for a in roster.actors if a.kind != "extern"]
    assert len(members) == 39
    assert {FunctionRef(a.fallback or "", a.key) for a in members} <= calls
    extras = {"lagesbild@lansstyrelsen", "kommunikationskoordinator@samordningskansliet"}
    assert {FunctionRef.parse(r) for r in extras} <= calls
    assert FunctionRef("rsib", "samordningskansliet") in calls
    assert {"samordnande forum", "coordinating", "RSF"} <= set(forum.aliases)


def test_directing_and_other_activated_forums(roster: Roster) -> None:
    directing = roster.forum("inriktande")
    assert directing.level == Level.DIRECTING and directing.mode == Mode.ACTIVATED
    calls = {str(r) for r in directing.call_refs}
    assert {f"kommundirektor@{m}" for m in MUNICIPALITIES} <= calls
    assert {
        "lansoverdirektor@lansstyrelsen",
        "regiondirektor@region-stockholm",
        "polisregionchef@polisen",
        "regionchef@trafikverket",
        "tib@lansstyrelsen",
    } <= calls
    assert {f"raddningschef@{r}" for r in ("ssbf", "sbff", "attunda", "rtj-norrtalje")} <= calls
    assert "tib@lansstyrelsen" in directing.may_activate
    executive = {str(r) for r in roster.forum("verkstallande").call_refs}
    assert {"vakthavande-befal@polisen", "trafik-stockholm@trafikverket"} <= executive
    assert roster.forum("verkstallande").level == Level.EXECUTIVE
    planning = {str(r) for r in roster.forum("planeringsforum").call_refs}
    assert {"vakthavande-befal@polisen", "sl-trafikledning@region-stockholm", "tib@stockholm"} <= (
        planning
    )


def test_ordinary_forums_have_rules_and_chairs(roster: Roster) -> None:
    expected = {
        "veckokonferens": ("tib@lansstyrelsen", "varje torsdag 09:00", Level.COORDINATING),
        "samordningsgruppen": (
            "samordningschef@samordningskansliet",
            "första måndagen i månaden 13:00",
            Level.COORDINATING,
        ),
        "chefsgruppen": (
            "lansoverdirektor@lansstyrelsen",
            "sista fredagen i månaden 10:00",
            Level.DIRECTING,
        ),
    }
    for key, (chair, rule, level) in expected.items():
        forum = roster.forum(key)
        assert (forum.mode, forum.chair, forum.meeting_rule, forum.level) == (
            Mode.ORDINARY,
            chair,
            rule,
            level,
        )
    assert {f.key for f in roster.forums} == {
        "samordnande",
        "inriktande",
        "verkstallande",
        "planeringsforum",
        *expected,
    }


def test_every_forum_has_standing_rooms(roster: Roster) -> None:
    for forum in roster.forums:
        room = forum.standing_room
        assert room.matrix == f"#{forum.key}:samverkan.test"
        assert room.slack == forum.key and room.console == forum.key


def test_scenarios(roster: Roster) -> None:
    scenarios = roster.scenarios_by_key
    assert set(scenarios) == {
        "ovader",
        "demonstration",
        "statsbesok",
        "elavbrott",
        "it-storning",
        "dricksvatten",
        "ordinarie",
    }
    assert {"vattenavbrott", "water"} <= set(scenarios["dricksvatten"].aliases)
    assert all(sc.templates for k, sc in scenarios.items() if k != "ordinarie")
    ovader = scenarios["ovader"]
    assert {"oväder", "storm"} <= set(ovader.aliases)
    assert ovader.forum == "samordnande" and ovader.conference_every_hours == 3
    assert {"kustbevakningen", "stockholms-hamnar"} <= set(ovader.extra_calls)
    assert scenarios["demonstration"].forum == "planeringsforum"
    assert {"statsbesök", "state-visit"} <= set(scenarios["statsbesok"].aliases)
    assert "power-cut" in scenarios["elavbrott"].aliases
    assert "it-störning" in scenarios["it-storning"].aliases
    assert scenarios["ordinarie"].forum == "samordningsgruppen"
    for sc in scenarios.values():
        assert sc.agenda and sc.checklist, sc.key


def test_the_files_mark_inferred_defaults() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (*default_roster_path().glob("*.toml"),
                                                      *bundled_playbooks().glob("*.toml"))]
    assert sum(t.count("# [I] antagande") for t in texts) >= 10
    assert all("[I] antagande" in p.read_text("utf-8") for p in bundled_playbooks().glob("*.toml"))


def test_locator_finds_every_value_in_its_own_file(roster: Roster) -> None:
    asm = assemble(default_roster_path())

    def at(*loc: str | int) -> tuple[str, str]:
        src, local = asm.where(loc)
        assert src is not None, loc
        line = locate(src.lines, local)
        assert line is not None, loc
        return Path(src.file).name, Path(src.file).read_text("utf-8").splitlines()[line - 1]

    for i, person in enumerate(roster.people):
        assert at("people", i) == ("people.toml", at("people", i)[1])
        assert f'key = "{person.key}"' in at("people", i)[1]
    for a, actor in enumerate(roster.actors):
        assert at("actors", a) == ("actors.toml", "[[actors]]")
        assert at("actors", a, "key") == ("actors.toml", f'key = "{actor.key}"')
        for f, fn in enumerate(actor.functions):
            assert at("actors", a, "functions", f, "key")[1] == f'key = "{fn.key}"'
            if fn.rotation is not None:
                file, line = at("actors", a, "functions", f, "rotation")
                assert file == "staffing.toml" and fn.rotation.people[2] in line
            else:
                file, line = at("actors", a, "functions", f, "holder")
                assert file == "staffing.toml" and f'"{fn.holder}"' in line
    for n, forum in enumerate(roster.forums):
        for i, call in enumerate(forum.calls):
            assert at("forums", n, "calls", i) == ("forums.toml", f'  "{call}",')
    for n, sc in enumerate(roster.scenarios):
        assert at("scenarios", n, "forum") == (f"{sc.key}.toml", f'forum = "{sc.forum}"')


def test_yaml_copy_of_the_bundled_roster_loads_the_same(roster: Roster, tmp_path: Path) -> None:
    for path in default_roster_path().glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        copy = tmp_path / f"{path.stem}.yaml"
        copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    assert load_roster(tmp_path).model_dump() == roster.model_dump()
