"""`samverkan run | console | roster check|show | migrate | health | demo matrix |
export ics|protocol`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.logs import configure_logging
from bot.settings import Settings, SettingsError
from bot.swedish_argparse import SwedishParser
from bot.texts.oserrors import os_reason


def _version() -> str:
    """The installed package's version (pyproject.toml), or "okänd" outside an install."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("samverkansboten")
    except PackageNotFoundError:
        return "okänd"


def _parser() -> argparse.ArgumentParser:
    p = SwedishParser(prog="samverkan", description="Samverkansboten")
    p.add_argument("--version", action="version", version=f"samverkan {_version()}",
                   help="visa versionen och avsluta")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="KOMMANDO")
    run = sub.add_parser("run", help="starta alla konfigurerade plattformar (annars terminalen)")
    _data_options(run)
    con = sub.add_parser("console", help="terminalchatten: ett kommando per rad")
    con.add_argument("--exercise", action="store_true",
                     help="övning med simulerad klocka och egen databas "
                          "(standard: SQLite ./samverkan-ovning.db)")
    _data_options(con)
    con.add_argument("--start", type=_start_time, metavar="TID",
                     help="övningsklockans start, ISO 8601 (standard: nu)")
    roster = sub.add_parser("roster", help="kontrollera eller visa rollförteckningen")
    rsub = roster.add_subparsers(dest="roster_cmd", required=True, metavar="KOMMANDO")
    check = rsub.add_parser("check", help="validera en rollförteckning")
    check.add_argument("file", nargs="?", type=Path, metavar="FIL", help=_ROSTER_HELP)
    show = rsub.add_parser("show", help="lista alla funktionsinnehavare")
    show.add_argument("file", nargs="?", type=Path, metavar="FIL", help=_ROSTER_HELP)
    show.add_argument("--json", action="store_true", help="som JSON")
    mig = sub.add_parser("migrate", help="uppdatera databasschemat")
    _db_option(mig)
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


_DB_HELP = ("databas-URL eller sökväg till en SQLite-fil (standard: SAMVERKAN_DATABASE_URL, "
            "annars SQLite ./samverkan.db)")
EXERCISE_DATABASE_URL = "sqlite+aiosqlite:///./samverkan-ovning.db"
"""`console --exercise` without `--db`: a sandbox of its own, never the real record (not
SAMVERKAN_DATABASE_URL either), so exercise numbers and rows never mix with real ones."""
_ROSTER_HELP = "rollförteckning, mapp eller fil (standard: SAMVERKAN_ROSTER, annars medföljande)"


def _data_options(parser: argparse.ArgumentParser) -> None:
    """`--db` and `--roster`: the same two options on every subcommand that opens the record."""
    _db_option(parser)
    parser.add_argument("--roster", type=Path, metavar="SÖKVÄG", help=_ROSTER_HELP)


def _db_option(parser: argparse.ArgumentParser) -> None:
    """`--db`, the one definition (run, console, migrate, export): a URL or a file path."""
    parser.add_argument("--db", type=database_url, metavar="URL|FIL", help=_DB_HELP)


def database_url(value: str) -> str:
    """`--db` as an SQLAlchemy URL: a URL (`scheme://…`) as given; anything else is a path to
    an SQLite file, made absolute (`/tmp/s.db` -> `sqlite+aiosqlite:////tmp/s.db`).
    Raises argparse.ArgumentTypeError for an empty value or a scheme other than
    sqlite/postgresql (the two storage.database supports)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("ange en databas-URL eller en filsökväg")
    if "://" in value:
        scheme = value.split("://", 1)[0]
        if scheme.split("+", 1)[0].lower() not in ("sqlite", "postgresql", "postgres"):
            raise argparse.ArgumentTypeError(
                f"okänd databastyp ”{scheme}”; använd sqlite eller postgresql")
        return value
    return f"sqlite+aiosqlite:///{Path(value).expanduser().resolve()}"


def _start_time(value: str) -> datetime:
    """`--start`: an ISO 8601 time, naive when it has no offset (then read in the region's
    time zone, SAMVERKAN_TIMEZONE); ArgumentTypeError otherwise."""
    try:
        start = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"”{value}” är ingen tidpunkt; skriv ISO 8601, t.ex. 2026-11-30T14:00") from None
    return start


class Refused(Exception):
    """A runtime error the command line reports as one line; `code` is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _settings(db: str | None = None, roster: Path | None = None) -> Settings:
    settings = Settings()
    update: dict[str, object] = {}
    if db:
        update["database_url"] = db
    if roster:
        update["roster"] = roster
    chosen = settings.model_copy(update=update) if update else settings
    _check_sqlite_folder(chosen.database_url)
    return chosen


def _check_sqlite_folder(url: str) -> None:
    """Refused (exit 1) when an SQLite file's folder does not exist: SQLite would fail deep
    in start-up ("unable to open database file") and leave its worker thread behind."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # reported where it is used
    database = parsed.database
    if not parsed.drivername.startswith("sqlite") or database in (None, "", ":memory:"):
        return
    assert database is not None
    folder = Path(database).expanduser().absolute().parent
    if not folder.is_dir():
        raise Refused(f"Databasen kan inte öppnas: mappen {folder} finns inte")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(Settings())
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from storage.leadership import AlreadyRunning

    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except SettingsError as err:
        return _fail(f"Konfigurationsfel: {err}", 2)
    except Refused as err:
        return _fail(str(err), err.code)
    except AlreadyRunning as err:
        return _fail(f"Startar inte: {err}", 2)
    except (ArgumentError, NoSuchModuleError) as err:
        return _fail(f"Ogiltig databas-URL: {_first_line(err)}", 2)
    except OperationalError as err:
        return _fail(f"Databasen kan inte öppnas: {_first_line(err.orig or err)}", 1)
    except BrokenPipeError:
        _silence_stdout()
        return _fail("Utdata avbröts: mottagaren stängde röret.", 1)
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        reason = os_reason(err)
        return _fail(f"Filfel{where}: {reason}", 1)


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _fail(message: str, code: int) -> int:
    """`message` as one line on standard error; `code` (2 usage, 1 runtime) back."""
    print(message, file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """After a broken pipe: point standard output at /dev/null so the interpreter's final
    flush cannot fail again (Python docs, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


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

        db = args.db or (EXERCISE_DATABASE_URL if args.exercise else None)
        settings = _settings(db, args.roster)
        start = args.start
        if start is not None and start.tzinfo is None:  # the region's wall clock, as README
            start = start.replace(tzinfo=ZoneInfo(settings.timezone))
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
