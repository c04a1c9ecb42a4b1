"""One prepared record for the authorization matrix and the fuzz test: a samordnande
activation #2026-001 opened by Länsstyrelsen's TiB, the chair handed to Region Stockholm's
TiB, a common message proposed by SOS Alarm, decision 1, and the scenario's first
samverkanskonferens running (its roll call open) at NOW. Each test copies the SQLite file it
is written to."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.bootstrap import build_app
from bot.clock import ManualClock
from bot.domain.roster import Roster
from bot.scheduling.runtime import install_exercise_clock
from bot.settings import Settings
from tests.core.conftest import START, say

ACT = "2026-001"
NOW = START + timedelta(minutes=31)  # the rhythm's first conference began at 13:30

# The five kinds of speaker: a function ref (its current holder speaks) or None.
OUTSIDER = "outsider"  # not in the roster
BYSTANDER = "bystander"  # in the roster, not called
CALLED = "called"  # a called participant, neither chair nor Länsstyrelsen
CHAIR = "chair"  # the current chair (Region Stockholm's TiB after the handover)
LST = "lst"  # Länsstyrelsen's TiB, not chairing
SPEAKERS: dict[str, str | None] = {
    OUTSIDER: None,
    BYSTANDER: "kommunikator@botkyrka",
    CALLED: "vakthavande-befal@polisen",
    CHAIR: "tib@region-stockholm",
    LST: "tib@lansstyrelsen",
}
KINDS = list(SPEAKERS)



def url_of(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def prepare(path: Path, roster_: Roster) -> None:
    """Writes the prepared record to a new SQLite file at `path`."""
    clock = ManualClock(START)
    app = await build_app(Settings(database_url=url_of(path)), clock=clock, exercise=True,
                          roster=roster_)
    install_exercise_clock(app, app.service)
    try:
        steps = [
            (LST, "aktivera samordnande oväder Snöstorm Gorm"),
            (LST, "kvittera"), (CALLED, "kvittera"), (CHAIR, "kvittera"),
            (LST, f"ordförande #{ACT} tib@region-stockholm"),
            ("krisberedskapssamordnare@sos-alarm", f"budskap #{ACT} Ring 112 bara vid fara"),
            (LST, f"beslut #{ACT} Skolorna håller stängt i morgon"),
            (LST, f"resurs #{ACT} behov 2 reservkraftverk till Norrtälje"),  # need 1
            (CALLED, f"resurs #{ACT} erbjud 3 bandvagnar"),  # offer 2, Polisen's
        ]
        for kind, text in steps:
            reply = await say(app, SPEAKERS.get(kind, kind), text)
            assert reply.ok or reply.code == "ack.already", (text, reply.text)
        clock.set(NOW)
        await app.service.tick()  # the conference starts: its roll call opens
        await app.relay.wait_idle()
    finally:
        await app.close()
