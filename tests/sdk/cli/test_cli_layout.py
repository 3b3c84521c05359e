"""The command's shape: groups by domain, each with its own ``propose``; the top-level
shortcuts; an example in every help text. No node needed: these read the command tree."""

from __future__ import annotations

import re

import click
from click.testing import CliRunner
from panarchy.cli import DOMAIN_PROPOSALS, main
from panarchy.cli.charter import charter_group, propose


def _every_command(group: click.Group, path: tuple[str, ...] = ("panarchy",)):
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _every_command(command, (*path, name))
        else:
            yield (*path, name), command


def test_cli_layout__every_help_text_shows_an_example():
    shows = re.compile(r"Examples?:\s+panarchy ")
    missing = [" ".join(p) for p, c in _every_command(main) if not shows.search(c.help or "")]
    assert missing == []


def test_cli_layout__the_top_level_lists_domains_and_four_shortcuts():
    listed = set(main.list_commands(click.Context(main)))
    domains = {"account", "charter", "circle", "dev", "doc", "federation", "fund", "relay", "role"}
    assert listed == domains | {"app", "demo", "node"} | {"join", "vote", "propose", "execute"}
    for shortcut in ("join", "vote", "execute"):
        assert main.commands[shortcut] is charter_group.commands[shortcut]
    assert main.commands["propose"] is propose  # every domain's proposals: see below


def test_cli_layout__each_domain_proposes_in_its_own_group_and_the_shortcut_has_them_all():
    placed = []
    for group, names in DOMAIN_PROPOSALS.items():
        own = group.commands["propose"]
        assert isinstance(own, click.Group) and set(own.commands) == set(names), group.name
        for short, full in names.items():
            assert own.commands[short] is propose.commands[full], (group.name, short)
            placed.append(full)
    # Every proposal the shortcut offers belongs to exactly one domain.
    assert sorted(placed) == sorted(propose.commands)


def test_cli_layout__a_charter_command_answers_at_the_top_level_too():
    runner = CliRunner()
    for name in ("show", "members", "clauses", "proposals", "delegate", "leave"):
        top = runner.invoke(main, [name, "--help"], prog_name="panarchy")
        grouped = runner.invoke(main, ["charter", name, "--help"], prog_name="panarchy")
        assert top.exit_code == grouped.exit_code == 0, name
        assert top.output.replace("panarchy charter", "panarchy") == grouped.output.replace(
            "panarchy charter", "panarchy"
        )
    unknown = runner.invoke(main, ["shwo"])
    assert unknown.exit_code == 2 and "No such command 'shwo'" in unknown.output
