"""The `kg` command: thin glue over the library.

Each sub-command is one module in this package exposing a click command named
``command``; add its name to `COMMANDS` (or register it under the ``kg.commands``
entry-point group from another package). Modules are imported only when their
command runs, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import importlib
import logging
import sys
from importlib.metadata import entry_points

import click

from kg import __version__
from kg.problems import InputError

# name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "analyze": "kg.cli.analyze:command",
    "build": "kg.cli.build:command",
    "export": "kg.cli.export:command",
    "push": "kg.cli.push:command",
    "extract": "kg.cli.extract:command",
    "papers": "kg.cli.papers:command",
    "train": "kg.cli.train:command",
    "train-relations": "kg.cli.train_relations:command",
    "train-filter": "kg.cli.train_filter:command",
    "query": "kg.cli.query:command",
    "serve": "kg.cli.serve:command",
    "view": "kg.cli.view:command",
}


def _available() -> dict[str, str]:
    found = dict(COMMANDS)
    for ep in entry_points(group="kg.commands"):
        found.setdefault(ep.name, ep.value)
    return found


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_available())

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = _available().get(name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("-v", "--verbose", count=True, help="More output (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no progress bars or summary.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Build and explore a knowledge graph of science paper abstracts."""
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="kg: %(message)s", stream=sys.stderr)
    ctx.obj = {"quiet": quiet, "verbose": verbose}


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: maps input errors to exit code 2."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except InputError as error:
        click.echo(f"kg: error: {error}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except OSError as error:  # a full disk, a read-only or missing output directory...
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"kg: error: {where}{error.strerror or error}", err=True)
        sys.exit(1)
