"""The ``quizforge`` command (docs/architecture.md §7).

Start-up matters: this module imports only the standard library at the top. Each sub-command imports
what it needs when it runs, so ``quizforge --help`` loads neither textual nor torch.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from quizforge import __version__

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and found problems (validation errors, a wrong answer with --check)
EXIT_USAGE = 2  # bad arguments, unknown family, unreadable file or data dir


class UserError(Exception):
    """A mistake the user can fix: printed as one line on stderr, exit code ``EXIT_USAGE``."""


class _Messages:
    """The language of the command line's own messages.

    English until :func:`main` has resolved ``--lang``, ``$QUIZFORGE_LANG`` or the locale (argparse's
    usage errors come before that); a command that opens the store then switches to the language saved
    in the TUI's settings unless one was given. Opening the store only to learn the language would slow
    every command, so an error before the store opens speaks the first language.
    """

    lang = "en"


def _msg(key: str, **fmt: object) -> str:
    """The command-line message ``key`` from the text catalogue, its fields filled from ``fmt``."""
    from quizforge.i18n import t

    return t(key, _Messages.lang, **fmt)


def _msg_n(key: str, count: int, **fmt: object) -> str:
    """The command-line message ``key`` for ``count`` things (``"1 card"``, ``"2 cards"``)."""
    from quizforge.i18n import tn

    return tn(key, count, _Messages.lang, **fmt)


Handler = Callable[[argparse.Namespace], int]


def _lang_default() -> str:
    env = os.environ.get("QUIZFORGE_LANG") or ""
    if env in ("en", "zh"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where your progress lives (default: the platform's data dir, or $QUIZFORGE_DATA_DIR)",
    )
    parser.add_argument(
        "--bank", metavar="DIR", action="append", default=default, help="an extra question-bank folder (repeatable)"
    )
    parser.add_argument(
        "--lang",
        choices=["en", "zh"],
        default=default,
        help="language of the questions and the interface (default: from your locale)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (docs/architecture.md §7) naming where the usage is."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"quizforge: error: {message} (see `{self.prog} --help`)\n")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line's parser; ``commands=False``: only the options of the bare ``quizforge``."""
    parser = _Parser(
        prog="quizforge",
        description="Spaced-repetition drills and mock interviews for the theory round of a deep-learning interview.",
        epilog="Run `quizforge COMMAND --help` for a command's options. Exit codes: 0 ok, 1 problems found, "
        "2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"quizforge {__version__}")
    _global_options(parser, suppress=False)
    if not commands:
        return parser
    from quizforge.report.formats import ReportFormat

    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def command(name: str, help_: str, handler: Handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, parents=[common])
        p.set_defaults(handler=handler)
        return p

    p = command("study", "study today's reviews and new cards (TUI)", _study)
    p.add_argument("--topic", action="append", metavar="T", help="only this topic (repeatable)")
    p.add_argument("--new", type=int, metavar="N", help="new cards for this session")
    p.add_argument("--cram", action="store_true", help="review the topic now without changing the schedule")
    p.add_argument("--plain", action="store_true", help="a line-by-line session on stdin/stdout (no TUI)")

    p = command("quiz", "a scored practice set (TUI)", _quiz)
    p.add_argument("--topic", action="append", metavar="T", help="topic to draw from (repeatable)")
    p.add_argument("--difficulty", type=int, choices=range(1, 6), metavar="D", help="difficulty 1..5")
    p.add_argument("-n", type=int, default=10, metavar="N", help="number of questions (default 10)")

    p = command("mock", "a timed mock interview with a scorecard (TUI)", _mock)
    p.add_argument("--minutes", type=int, default=30, metavar="M", help="the interview's time (default 30)")
    p.add_argument("--questions", type=int, default=8, metavar="N", help="main questions (default 8)")
    p.add_argument("--topic", action="append", metavar="T", help="only this topic or area (repeatable)")
    p.add_argument("--weakest", action="store_true", help="only your weakest topics")
    p.add_argument("--code", action="store_true", help="end with a coding question (a NumPy drill)")
    p.add_argument("--seed", type=int, metavar="S", help="the same seed draws the same questions")
    p.add_argument("--plan-only", action="store_true", help="print the planned main questions and exit")
    p.add_argument("--json", action="store_true", help="with --plan-only: one JSON object per line")

    p = command("report", "your progress report", _report)
    p.add_argument("--format", choices=[f.value for f in ReportFormat], default=ReportFormat.TEXT.value)
    p.add_argument("--output", metavar="FILE")
    p.add_argument("--days", type=int, metavar="N")
    p.add_argument("--topic", action="append", metavar="T")

    p = command("validate", "check question-bank files", _validate)
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="bank files or folders (default: the shipped bank and your --bank folders)",
    )
    strictness = p.add_mutually_exclusive_group()
    strictness.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="require both languages, key points, solutions, coverage (default for the shipped bank)",
    )
    strictness.add_argument("--lenient", dest="strict", action="store_false", help="only schema errors")
    p.add_argument(
        "--torch", action="store_true", help="also cross-check every generator family against torch (slower)"
    )

    p = command("topics", "the topic catalogue with question counts", _topics)

    p = command("list", "list questions", _list)
    p.add_argument("--topic", action="append", metavar="T")
    p.add_argument("--kind", choices=["concept", "choice", "numeric", "generated"])

    p = command("generate", "numeric question instances", _generate)
    p.add_argument("family", nargs="?", metavar="FAMILY")
    p.add_argument("--seed", type=int, default=0, metavar="N")
    p.add_argument("--count", type=int, default=1, metavar="K", help="K instances for seeds N..N+K-1")
    p.add_argument("--level", type=int, metavar="L", help="difficulty level (default: the family's default)")
    p.add_argument("--json", action="store_true", help="JSON lines (a stable contract: docs/architecture.md §7)")
    p.add_argument("--list", action="store_true", help="list the families and their topics")

    p = command("grade", "grade an answer: a generated question (FAMILY --seed N) or a concept card (ID)", _grade)
    p.add_argument("family", metavar="FAMILY|ID", help="a generator family (with --seed), or a concept card's id")
    p.add_argument("--seed", type=int, metavar="N", help="which instance of FAMILY (required for a family)")
    p.add_argument("--answer", required=True, metavar="TEXT")
    p.add_argument("--level", type=int, metavar="L", help="difficulty level (default: the family's default)")
    p.add_argument("--json", action="store_true")

    p = command("drill", "coding drills: implement it in NumPy, judged on generated cases", _drill)
    p.add_argument("name", nargs="?", metavar="NAME", help="the drill (without --file: show its task and starter code)")
    p.add_argument("--file", metavar="F", help="your solution, a Python file defining the drill's function")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="which cases (default 0)")
    p.add_argument("--json", action="store_true", help="the verdict as one JSON object")
    p.add_argument("--list", action="store_true", help="list the drills")

    p = command("export", "write your review log as JSONL (or the bank as an Anki deck)", _export)
    p.add_argument("--output", metavar="FILE", help="where to write (default: stdout for jsonl; quizforge.apkg)")
    p.add_argument("--format", choices=["jsonl", "apkg"], default="jsonl")

    p = command("import", "merge a JSONL review log into yours", _import)
    p.add_argument("file", metavar="FILE")

    p = command("sync", "keep devices in step through a shared folder (Syncthing, Dropbox, a USB stick)", _sync)
    p.add_argument("folder", nargs="?", metavar="DIR", help="the shared folder (default: the one set with --auto)")
    auto = p.add_mutually_exclusive_group()
    auto.add_argument("--auto", action="store_true", help="also sync with DIR whenever quizforge starts and quits")
    auto.add_argument("--no-auto", action="store_true", help="stop syncing on start and quit")

    p = command("plan", "plan each day's study for an interview date (docs/planner.md)", _plan)
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the interview date (sets the plan)")
    p.add_argument("--areas", metavar="A,B", help="areas that matter, e.g. cnn,optim,attn (default: the whole bank)")
    p.add_argument("--minutes-per-day", type=int, default=30, metavar="N", help="study time a day (default 30)")
    p.add_argument("--retention", type=float, default=0.9, metavar="R", help="target recall on the date (default 0.9)")
    p.add_argument("--json", action="store_true", help="one JSON object (a stable contract: docs/planner.md)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--show", action="store_true", help="re-plan the plan in force from today and show it")
    shown.add_argument("--clear", action="store_true", help="drop the plan")

    p = command("optimize", "fit FSRS parameters to your review history", _optimize)
    p.add_argument("--reschedule", action="store_true", help="also rebuild every card's schedule with them")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _Messages.lang = "en"
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    for name, default in (("data_dir", None), ("bank", None), ("lang", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    # an explicit --lang (or $QUIZFORGE_LANG) beats the language saved in the TUI's settings
    args.lang_given = args.lang is not None or os.environ.get("QUIZFORGE_LANG") in ("en", "zh")
    if args.lang is None:
        args.lang = _lang_default()
    _Messages.lang = args.lang
    handler: Handler = getattr(args, "handler", _dashboard)
    try:
        if args.command in _AUTO_SYNCED:
            _auto_sync(args)
        code = handler(args)
        if args.command in _AUTO_SYNCED:
            _auto_sync(args)
        return code
    except UserError as exc:
        print(_msg("cli.error", message=exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `quizforge list | head`: the reader left; nothing to report.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _parse(argv: list[str]) -> argparse.Namespace:
    """The bare ``quizforge`` (the dashboard) is the usual launch: its options are read without building
    every command's parser (~5 ms of the start-up budget, docs/architecture.md §8); anything else, and
    help, gets the whole parser."""
    if not {"-h", "--help"} & set(argv):
        args, rest = build_parser(commands=False).parse_known_args(argv)
        if not rest:
            args.command = None
            return args
    return build_parser().parse_args(argv)


# -- sub-commands ----------------------------------------------------------------------------------


def _bank_dirs(args: argparse.Namespace) -> list[Path]:
    dirs = [Path(b) for b in (args.bank or [])]
    for d in dirs:
        if not d.exists():
            raise UserError(_msg("cli.no_path", path=f"--bank {d}"))
    return dirs


def _load_bank(args: argparse.Namespace, *, quiet: bool = False):  # type: ignore[no-untyped-def]
    """The shipped bank plus ``--bank`` folders; ``quiet``: no problem lines (a TUI is on screen)."""
    from quizforge.bank import BankError
    from quizforge.kinds import load
    from quizforge.locations import bank_cache_dir, data_dir

    try:
        return load(_bank_dirs(args), cache_dir=bank_cache_dir(data_dir(args.data_dir)))
    except BankError as exc:
        if quiet:
            raise UserError(_msg("cli.bank_problem", problem=exc.problems[0])) from None
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise UserError(_msg("cli.bank_failed")) from None


def _check_topics(topics: Sequence[str] | None, bank: Any) -> None:
    from quizforge.bank.schema import in_topics

    for t in topics or []:
        if not any(in_topics(k, [t]) for k in bank.topics):
            raise UserError(_msg("cli.unknown_topic", topic=t))


def _tui(args: argparse.Namespace, screen: str = "dashboard", **launch: Any) -> int:
    """Run the TUI, opening ``screen`` first; the shared path of every TUI command."""
    # Start-up creates objects that live as long as the app (Textual's, the store's, the catalogue's): the
    # cyclic collector would walk them again and again before the first frame (~3 % of the start-up's
    # instructions). It waits for the first frame; then they are frozen, out of every later collection.
    gc.disable()
    try:
        return _run_tui(args, screen, **launch)
    finally:
        gc.enable()  # when the app stopped before its first frame


def _run_tui(args: argparse.Namespace, screen: str, **launch: Any) -> int:
    from quizforge.store import StoreError
    from quizforge.tui.app import Activity, Launch, make_app

    bank: Any
    if screen == "dashboard":
        # the dashboard paints today's counts first and loads the bank right after
        def bank() -> Any:
            return _load_bank(args, quiet=True)

    else:
        bank = _load_bank(args)
        _check_topics(launch.get("topics"), bank)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(_msg("cli.needs_terminal"))
    try:
        app = make_app(
            args.data_dir,
            bank,
            args.lang if args.lang_given else None,
            launch=Launch(screen=Activity(screen), **launch),
            default_lang=args.lang,
        )
        app.after_first_frame(_collect_after_start)
        app.run()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if app.failure:
        raise UserError(app.failure)
    return EXIT_OK


def _collect_after_start() -> None:
    """Collect again, without the objects the start-up made (they stay for the app's life)."""
    gc.freeze()
    gc.enable()


def _dashboard(args: argparse.Namespace) -> int:
    return _tui(args, offer_plan=True)


def _study(args: argparse.Namespace) -> int:
    if args.plain:
        return _study_plain(args)
    if args.new is not None and args.new < 0:
        raise UserError(_msg("cli.must_be", option="--new", allowed="≥ 0"))
    return _tui(args, "study", topics=tuple(args.topic or ()), cram=args.cram, new=args.new)


def _quiz(args: argparse.Namespace) -> int:
    if not 1 <= args.n <= 200:
        raise UserError(_msg("cli.must_be", option="-n", allowed="1..200"))
    return _tui(args, "quiz", topics=tuple(args.topic or ()), difficulty=args.difficulty, count=args.n)


def _mock(args: argparse.Namespace) -> int:
    if not 1 <= args.minutes <= 600:
        raise UserError(_msg("cli.must_be", option="--minutes", allowed="1..600"))
    if not 1 <= args.questions <= 50:
        raise UserError(_msg("cli.must_be", option="--questions", allowed="1..50"))
    if args.plan_only:
        return _mock_plan(args)
    return _tui(
        args,
        "mock",
        topics=tuple(args.topic or ()),
        minutes=args.minutes,
        questions=args.questions,
        seed=args.seed,
        weakest=args.weakest,
        code=args.code,
    )


def _mock_plan(args: argparse.Namespace) -> int:
    """``mock --plan-only``: the main questions the mock would ask, one per line (reads the store only)."""
    import json
    import random

    from quizforge.study.mock import plan_mock
    from quizforge.study.session import utc_now

    bank = _load_bank(args)
    _check_topics(args.topic, bank)
    with _open_store(args) as store:
        plan = plan_mock(
            store,
            bank,
            questions=args.questions,
            topics=args.topic,
            weakest=args.weakest,
            include_code=args.code,
            rng=random.Random(args.seed),
            now=utc_now(),
        )
    for p in plan:
        q = bank.questions[p.question_id]
        row = {"id": q.id, "topic": q.topic, "kind": str(q.kind), "concept": p.concept}
        print(json.dumps(row, ensure_ascii=False) if args.json else "\t".join(row.values()))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from quizforge.report.command import run

    if args.days is not None and not 1 <= args.days <= 36500:
        raise UserError(_msg("cli.must_be", option="--days", allowed="1..36500"))
    bank = _load_bank(args)
    _check_topics(args.topic, bank)
    with _open_store(args) as store:
        try:
            return run(
                store,
                bank,
                fmt=args.format,
                output=Path(args.output) if args.output else None,
                days=args.days,
                topics=args.topic,
                lang=args.lang,
            )
        except ValueError as exc:
            raise UserError(str(exc)) from None


@contextlib.contextmanager
def _open_store(args: argparse.Namespace) -> Iterator[Any]:
    """The user's database; a StoreError at any point becomes one line on stderr and exit 2."""
    from quizforge.locations import data_dir, db_path
    from quizforge.store import Store, StoreError

    try:
        store = Store.open(db_path(data_dir(args.data_dir)))
    except StoreError as exc:
        raise UserError(str(exc)) from None
    try:
        _Messages.lang = _saved_lang(args, store)
        yield store
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()


def _saved_lang(args: argparse.Namespace, store: Any) -> str:
    """The language for this command: an explicit ``--lang`` (or ``$QUIZFORGE_LANG``), else the one saved
    in the TUI's settings, else the locale's."""
    if not args.lang_given and "language" in store.raw_settings():
        return str(store.settings().language)
    return str(args.lang)


def _study_plain(args: argparse.Namespace) -> int:
    from quizforge.study.plain import run_plain
    from quizforge.study.session import StudySession

    if args.new is not None and args.new < 0:
        raise UserError(_msg("cli.must_be", option="--new", allowed="≥ 0"))
    bank = _load_bank(args)
    _check_topics(args.topic, bank)
    with _open_store(args) as store:
        lang = _saved_lang(args, store)
        session = StudySession(store, bank, topics=args.topic, new_limit=args.new, cram=args.cram, lang=lang)
        return run_plain(session, sys.stdin, sys.stdout, lang)


def _export(args: argparse.Namespace) -> int:
    if args.format == "apkg":
        from quizforge.study.anki import export_apkg

        out = Path(args.output or "quizforge.apkg")
        try:
            n = export_apkg(_load_bank(args), out, args.lang)
        except OSError as exc:
            raise UserError(_msg("cli.cannot_write", path=out, reason=exc.strerror or exc)) from None
        print(_msg_n("cli.wrote_notes", n, path=out), file=sys.stderr)
        return EXIT_OK
    from quizforge.study.exchange import export_jsonl

    with _open_store(args) as store:
        if args.output is None or args.output == "-":
            n = export_jsonl(store, sys.stdout)
        else:
            out = Path(args.output)
            tmp = out.with_name(out.name + ".part")
            try:
                with tmp.open("w", encoding="utf-8") as f:
                    n = export_jsonl(store, f)
                tmp.replace(out)  # never leave a half-written export under the real name
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink()  # on a full disk the half-written part holds the last free space
                raise UserError(_msg("cli.cannot_write", path=out, reason=exc.strerror or exc)) from None
            print(_msg_n("cli.exported", n, path=out), file=sys.stderr)
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from quizforge.study.exchange import ImportFileError, import_jsonl

    path = Path(args.file)
    if not path.is_file():
        raise UserError(_msg("cli.no_file", path=path))
    with _open_store(args) as store:
        try:
            summary = import_jsonl(store, path)
        except ImportFileError as exc:
            raise UserError(_msg("cli.nothing_imported", error=exc)) from None
    print(
        _msg(
            "cli.imported",
            added=summary.added,
            known=summary.known,
            events=summary.events_added,
            cards=summary.cards_replayed,
        )
        + (_msg("cli.settings_applied") if summary.settings_applied else "")
    )
    return EXIT_OK


_AUTO_SYNCED = (None, "study", "quiz", "mock", "report", "plan")  # the commands that sync on start and quit (--auto)


def _auto_sync(args: argparse.Namespace) -> None:
    """Sync with the folder set by ``sync DIR --auto``, if any; a failure is one warning line, not an error.

    Without that setting nothing is opened (a damaged database is left to the command to report).
    """
    from quizforge.locations import data_dir, db_path

    directory = data_dir(args.data_dir)
    if not (directory / "sync.json").exists():
        return
    from quizforge.store import Store, StoreError
    from quizforge.study.sync import SyncError, auto_folder, sync

    try:
        folder = auto_folder(directory)
        if folder is not None:
            with Store.open(db_path(directory)) as store:
                sync(store, folder)
    except (StoreError, SyncError) as exc:
        print(_msg("cli.sync_skipped", error=exc), file=sys.stderr)


def _sync(args: argparse.Namespace) -> int:
    from quizforge.locations import data_dir
    from quizforge.study.sync import SyncError, auto_folder, set_auto_folder, sync

    directory = data_dir(args.data_dir)
    with _open_store(args) as store:
        try:
            if args.no_auto:
                set_auto_folder(directory, None)
                print(_msg("cli.sync_auto_off"))
                if args.folder is None:
                    return EXIT_OK
            folder = Path(args.folder) if args.folder is not None else auto_folder(directory)
            if folder is None:
                raise UserError(_msg("cli.sync_no_folder"))
            summary = sync(store, folder)
            if args.auto:
                set_auto_folder(directory, folder)
        except SyncError as exc:
            raise UserError(_msg("cli.nothing_merged", error=exc)) from None
    got = summary.received
    print(
        _msg(
            "cli.synced",
            sent=summary.sent,
            reviews=got.added if got else 0,
            events=got.events_added if got else 0,
            devices=summary.devices,
        )
        + (_msg("cli.sync_auto_on", folder=folder) if args.auto else "")
    )
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    import json

    from quizforge.study.days import utc_now
    from quizforge.study.planning import (
        PlanError,
        check_request,
        clear_plan,
        current_plan,
        describe,
        make_forecast,
        set_plan,
        study_day,
    )

    now = utc_now()
    if args.clear:
        with _open_store(args) as store:
            print(_msg("plan.cleared" if clear_plan(store, now) else "plan.nothing_to_clear"))
        return EXIT_OK
    if not args.show and args.date is None:
        raise UserError(_msg("plan.error.show_or_clear"))
    bank = _load_bank(args)
    with _open_store(args) as store:
        if args.show:
            plan = current_plan(store)
            if plan is None:
                print("null" if args.json else _msg("plan.none"))
                return EXIT_OK
            result = make_forecast(store, bank, plan, now)
        else:
            _, today = study_day(now, store.settings())
            areas = (args.areas or "").split(",")
            try:
                plan = check_request(
                    bank, args.date, areas, args.minutes_per_day, args.retention, today, _Messages.lang
                )
            except PlanError as exc:
                raise UserError(str(exc)) from None
            plan, result = set_plan(store, bank, plan, now)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    elif result.days_left <= 0:
        print(_msg("plan.date_passed", date=result.date))
    else:
        print("\n".join(describe(result, plan, _Messages.lang)))
    return EXIT_OK


def _optimize(args: argparse.Namespace) -> int:
    from quizforge.study.optimize import NotEnoughHistory, optimize

    with _open_store(args) as store:
        try:
            fit = optimize(store, reschedule=args.reschedule)
        except NotEnoughHistory as exc:
            print(_msg("cli.not_enough_history", have=exc.have, need=exc.need, more=exc.need - exc.have))
            return EXIT_OK
    print(_msg("cli.fitted", n=len(fit.parameters), items=fit.items))
    print(_msg("cli.parameters", values=", ".join(f"{p:.4f}" for p in fit.parameters)))
    if args.reschedule:
        print(_msg_n("cli.rescheduled", fit.cards_rescheduled))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from quizforge.validation import validate

    paths = [Path(p) for p in args.paths]
    for p in paths:
        if not p.exists():
            raise UserError(_msg("cli.no_path", path=p))
    return validate(paths, extra_banks=_bank_dirs(args), strict=args.strict, torch=args.torch)


def _topics(args: argparse.Namespace) -> int:
    from quizforge.render import print_topics

    print_topics(_load_bank(args), args.lang)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from quizforge.render import print_questions

    bank = _load_bank(args)
    _check_topics(args.topic, bank)
    print_questions(bank, args.lang, topics=args.topic, kind=args.kind)
    return EXIT_OK


def _family(name: str):  # type: ignore[no-untyped-def]
    from quizforge.numeric.base import families

    all_families = families()
    if name not in all_families:
        import difflib

        close = difflib.get_close_matches(name, all_families, n=3)
        hint = _msg("cli.did_you_mean", names=", ".join(close)) if close else _msg("cli.see_families")
        raise UserError(_msg("cli.unknown_family", name=repr(name), hint=hint))
    return all_families[name]


def _generate(args: argparse.Namespace) -> int:
    import json

    from quizforge.render import print_families, print_instance

    if args.list:
        print_families(args.lang)
        return EXIT_OK
    if not args.family:
        raise UserError(_msg("cli.generate_needs_family"))
    if args.count < 1 or args.count > 100_000:
        raise UserError(_msg("cli.must_be", option="--count", allowed="1..100000"))
    if args.seed < 0:
        raise UserError(_msg("cli.must_be", option="--seed", allowed="≥ 0"))
    fam = _family(args.family)
    _check_level(fam, args.level)
    for seed in range(args.seed, args.seed + args.count):
        inst = fam.generate(seed, args.level)
        if args.json:
            print(json.dumps(inst.to_json(), ensure_ascii=False))
        else:
            print_instance(inst, args.lang)
    return EXIT_OK


def _grade(args: argparse.Namespace) -> int:
    import json

    from quizforge.kinds.tutor import grade_instance, mistake_json

    if args.seed is None:
        return _grade_card(args)
    if args.seed < 0:
        raise UserError(_msg("cli.must_be", option="--seed", allowed="≥ 0"))
    fam = _family(args.family)
    _check_level(fam, args.level)
    inst = fam.generate(args.seed, args.level)
    verdict, mistakes = grade_instance(inst, args.answer, lang=args.lang)
    if args.json:
        out = {
            "correct": verdict.correct,
            "score": verdict.score,
            "feedback": verdict.feedback,
            "mistake": mistake_json(mistakes[0]) if mistakes else None,
        }
        if len(mistakes) > 1:
            out["mistakes"] = [mistake_json(m) for m in mistakes]
        print(json.dumps(out, ensure_ascii=False))
    else:
        # correct feedback already starts with its ✓
        print(verdict.feedback if verdict.correct else "✗ " + verdict.feedback)
    return EXIT_OK


def _grade_card(args: argparse.Namespace) -> int:
    """``grade ID --answer TEXT``: a concept card's key points suggested from a free answer, scored as ticks."""
    import json

    from quizforge.grading.keypoints import suggest_ticks
    from quizforge.grading.verdict import score_key_points
    from quizforge.kinds import kind_of
    from quizforge.numeric.base import families

    if args.family in families():
        raise UserError(_msg("cli.grade_needs_seed", name=args.family))
    bank = _load_bank(args)
    question = bank.questions.get(args.family)
    if question is None:
        import difflib

        close = difflib.get_close_matches(args.family, list(bank.questions), n=3)
        hint = _msg("cli.did_you_mean", names=", ".join(close)) if close else ""
        raise UserError(_msg("cli.unknown_question", name=repr(args.family), hint=hint))
    kind = kind_of(question)
    key_points = kind.expected(question, None).key_points if kind.self_graded else ()
    if not key_points:
        raise UserError(_msg("cli.grade_not_concept", id=question.id, kind=str(question.kind)))
    ticks = suggest_ticks(key_points, args.answer, question.prompt)
    verdict = score_key_points(ticks, args.lang)
    if args.json:
        points = [
            {"index": i, "text": kp.text.get(args.lang), "suggested": tick}
            for i, (kp, tick) in enumerate(zip(key_points, ticks, strict=True))
        ]
        out = {"correct": verdict.correct, "score": verdict.score, "feedback": verdict.feedback, "key_points": points}
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(verdict.feedback if verdict.correct else "✗ " + verdict.feedback)
        for kp, tick in zip(key_points, ticks, strict=True):
            print(f"  [{'x' if tick else ' '}] {kp.text.get(args.lang)}")
    return EXIT_OK


def _drill(args: argparse.Namespace) -> int:
    import json

    from quizforge.drills import all_drills, get_drill

    if args.list:
        for d in all_drills():
            print(f"{d.name:30} {d.difficulty}  {d.signature}")
        return EXIT_OK
    if not args.name:
        raise UserError("drill: give a NAME, or --list to see them")
    try:
        drill = get_drill(args.name)
    except KeyError:
        raise UserError(f"drill {args.name}: no such drill (see `quizforge drill --list`)") from None
    if args.file is None:
        print(f"{drill.signature}\n\n{drill.prompt.get(args.lang)}\n\n{drill.starter}", end="")
        return EXIT_OK
    if args.seed < 0:
        raise UserError("--seed must be ≥ 0")
    try:
        source = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"--file {args.file}: {getattr(exc, 'strerror', None) or exc}") from None
    from quizforge.drills.judge import Judge

    verdict = Judge().judge(drill, source, seed=args.seed)
    if args.json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        print(verdict.text(args.lang))
    return EXIT_OK if verdict.ok else EXIT_FAILED


def _check_level(fam: Any, level: int | None) -> None:
    if level is not None and not 1 <= level <= fam.levels:
        raise UserError(
            _msg("cli.must_be", option="--level", allowed=_msg("cli.levels_of", levels=fam.levels, family=fam.name))
        )
