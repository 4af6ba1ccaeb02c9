"""The ``plantrail`` command.

Subcommands live in their own modules and register here by module name: each module has
``add_parser(subparsers) -> argparse.ArgumentParser`` and ``run(args) -> int`` (the exit
code).  To add one (e.g. ``reconcile``), write ``plantrail/<area>/command.py`` with those
two functions and append its module name to :data:`SUBCOMMANDS`; nothing else changes.

Exit codes of ``plantrail ingest`` (see ``plantrail ingest --help``):
  0  every file was processed and none has status "error"
  1  the run finished and outputs were written, but some files have status "error"
     (or a batch step such as linking report mentions failed; a warning says so)
  2  usage error, or no input files found
  3  outputs could not be written (earlier outputs in the folder are left unchanged)
  130  interrupted (Ctrl-C); earlier outputs are left unchanged
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__

# Module names (relative to the plantrail package) providing add_parser() and run().
SUBCOMMANDS: list[str] = [
    ".ingest.command",
    ".ingest.reconcile_command",
    ".ingest.show_command",
    ".ingest.schema_command",
    ".ingest.repair_command",
    ".ingest.search_command",
    ".ingest.inspect_command",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plantrail",
        description="Turn council improvement plans and committee reports into data.")
    parser.add_argument("--version", action="version", version=f"plantrail {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(name, __package__)
        sub = module.add_parser(subparsers)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "_run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return 2
    return int(run(args))


if __name__ == "__main__":
    sys.exit(main())
