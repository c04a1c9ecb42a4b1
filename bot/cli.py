"""`samverkan run | console | roster check|show | migrate | health | demo matrix |
export ics|protocol`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.logs import configure_logging
from bot.settings import Settings, SettingsError
from bot.swedish_argparse import SwedishParser


def _parser() -> argparse.ArgumentParser:
    p = SwedishParser(prog="samverkan", description="Samverkansboten")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="KOMMANDO")
    run = sub.add_parser("run", help="starta alla konfigurerade plattformar (annars terminalen)")
    _data_options(run)
    con = sub.add_parser("console", help="terminalchatten: ett kommando per rad")
    con.add_argument("--exercise", action="store_true",
                     help="övning med simulerad klocka och egen databas "
                          "(standard: SQLite ./samverkan-ovning.db)")
    _data_options(con)
    con.add_argument("--start", help="övningsklockans start, ISO 8601 (standard: nu)")
    roster = sub.add_parser("roster", help="kontrollera eller visa rollförteckningen")
    rsub = roster.add_subparsers(dest="roster_cmd", required=True, metavar="KOMMANDO")
    check = rsub.add_parser("check", help="validera en rollförteckning")
    check.add_argument("file", nargs="?", type=Path, metavar="FIL", help=_ROSTER_HELP)
    show = rsub.add_parser("show", help="lista alla funktionsinnehavare")
    show.add_argument("file", nargs="?", type=Path, metavar="FIL", help=_ROSTER_HELP)
    show.add_argument("--json", action="store_true", help="som JSON")
    mig = sub.add_parser("migrate", help="uppdatera databasschemat")
    mig.add_argument("--db", metavar="URL", help=_DB_HELP)
    health = sub.add_parser("health", help="fråga en körande bot om den är redo (/healthz)")
    health.add_argument("--timeout", type=float, default=4.0, metavar="SEKUNDER",
                        help="hur länge svaret får dröja (standard 4)")
    demo = sub.add_parser("demo", help="gör en ny Synapse till en demo (compose.yaml)")
    dsub = demo.add_subparsers(dest="demo_cmd", required=True, metavar="KOMMANDO")
    dmx = dsub.add_parser("matrix", help="konton, stående rum och undantag från hastighetsgränser")
    dmx.add_argument("--secret-file", type=Path, required=True,
                     help="Synapses homeserver.yaml (registration_shared_secret läses därifrån)")
    dmx.add_argument("--roster", type=Path, metavar="SÖKVÄG", help=_ROSTER_HELP)
    export = sub.add_parser("export", help="exportera")
    esub = export.add_subparsers(dest="export_cmd", required=True, metavar="KOMMANDO")
    ics = esub.add_parser("ics", help="iCalendar-fil med möten och konferenser")
    ics.add_argument("--forum", help="bara detta forums möten och konferenser (nyckel)")
    ics.add_argument("--out", type=Path, default=Path("samverkan.ics"), metavar="FIL",
                     help="fil att skriva, eller - för standard ut")
    _data_options(ics)
    proto = esub.add_parser("protocol", help="en aktiverings protokoll för arkivet")
    proto.add_argument("activation", metavar="AKTIVERING", help="aktiveringens id, t.ex. 2026-001")
    proto.add_argument("--format", choices=("md", "html", "pdf"), default="md",
                       help="filformat (standard: md)")
    proto.add_argument("--out", metavar="FIL",
                       help="fil (standard: protokoll-<id>.<format>; - = standard ut)")
    _data_options(proto)
    return p


_DB_HELP = "databas-URL (standard: SAMVERKAN_DATABASE_URL, annars SQLite ./samverkan.db)"
EXERCISE_DATABASE_URL = "sqlite+aiosqlite:///./samverkan-ovning.db"
"""`console --exercise` without `--db`: a sandbox of its own, never the real record (not
SAMVERKAN_DATABASE_URL either), so exercise numbers and rows never mix with real ones."""
_ROSTER_HELP = "rollförteckning, mapp eller fil (standard: SAMVERKAN_ROSTER, annars medföljande)"


def _data_options(parser: argparse.ArgumentParser) -> None:
    """`--db` and `--roster`: the same two options on every subcommand that opens the record."""
    parser.add_argument("--db", metavar="URL", help=_DB_HELP)
    parser.add_argument("--roster", type=Path, metavar="SÖKVÄG", help=_ROSTER_HELP)


def _settings(db: str | None = None, roster: Path | None = None) -> Settings:
    settings = Settings()
    update: dict[str, object] = {}
    if db:
        update["database_url"] = db
    if roster:
        update["roster"] = roster
    return settings.model_copy(update=update) if update else settings


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(Settings())
    from storage.leadership import AlreadyRunning

    try:
        return _dispatch(args)
    except SettingsError as err:
        print(f"Konfigurationsfel: {err}", file=sys.stderr)
        return 2
    except AlreadyRunning as err:
        print(f"Startar inte: {err}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace) -> int:
    from bot.roster import cli as roster_cli
    from bot.roster.loader import RosterError

    if args.cmd == "roster":
        scenarios = Settings().scenarios
        if args.roster_cmd == "check":
            return roster_cli.roster_check(args.file, sys.stdout, scenarios)
        return roster_cli.roster_show(args.file, args.json, datetime.now(UTC), sys.stdout,
                                      scenarios)
    try:
        return _dispatch_app(args)
    except RosterError as err:
        print("Rollförteckningen är felaktig; boten startar inte:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2


def _dispatch_app(args: argparse.Namespace) -> int:
    if args.cmd == "console":
        from bot.runner import console

        start = datetime.fromisoformat(args.start) if args.start else None
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        db = args.db or (EXERCISE_DATABASE_URL if args.exercise else None)
        settings = _settings(db, args.roster)
        return asyncio.run(console(settings, exercise=args.exercise, start=start))
    if args.cmd == "health":
        from bot.health import probe

        settings = _settings()
        code, body = probe(settings.http_host, settings.http_port, args.timeout)
        print(body)
        return 0 if code == 200 else 1
    if args.cmd == "demo":
        import yaml

        from bot.runner import demo_matrix

        homeserver_yaml = yaml.safe_load(args.secret_file.read_text(encoding="utf-8"))
        secret = str(homeserver_yaml["registration_shared_secret"])
        return asyncio.run(demo_matrix(_settings(roster=args.roster), secret))
    if args.cmd == "migrate":
        from storage.migrate import upgrade

        url = _settings(args.db).database_url
        asyncio.run(upgrade(url))
        print(f"Databasen är uppdaterad: {url}")
        return 0
    if args.cmd == "run":
        from bot.runner import run

        return asyncio.run(run(_settings(args.db, args.roster)))
    settings = _settings(args.db, args.roster)
    if args.export_cmd == "protocol":
        return asyncio.run(export_protocol(settings, args.activation, args.format, args.out))
    from bot.runner import export_ics

    return asyncio.run(export_ics(settings, args.forum, args.out))


async def export_protocol(settings: Settings, activation_id: str, fmt: str,
                          out: str | None) -> int:
    """`samverkan export protocol <id> --format md|html|pdf [--out FIL|-]`: 0, or 1 with a
    message when the activation is unknown."""
    from bot.archive.export import FORMATS, UnknownActivation, protocol_file
    from bot.bootstrap import build_app

    chosen = next(f for f in FORMATS if f == fmt)
    app = await build_app(settings)
    try:
        file = await protocol_file(app, activation_id.lstrip("#"), chosen)
    except UnknownActivation:
        print(f"Okänd aktivering: #{activation_id.lstrip('#')}", file=sys.stderr)
        return 1
    finally:
        await app.close()
    if out == "-":
        sys.stdout.buffer.write(file.data)
        sys.stdout.buffer.flush()
        return 0
    target = Path(out or file.name)
    await asyncio.to_thread(target.write_bytes, file.data)
    print(f"Protokollet är skrivet: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
