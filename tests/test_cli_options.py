"""The shared options (--store, --backend, --endpoint, --debug) before or after the command name, their
environment variables, commands that refuse a backend, and the lazily loaded command list."""

from __future__ import annotations

import importlib
import shutil

import click
import pytest
from click.testing import CliRunner
from click.utils import make_default_short_help

from kg.cli import COMMANDS, LocalCommand, main
from kg.core.errors import StoreError


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch):
    for name in ("NANOMET_KG_STORE", "NANOMET_KG_ENDPOINT", "NANOMET_KG_DATA"):
        monkeypatch.delenv(name, raising=False)


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def _same(before, after) -> None:
    """Both invocations succeeded with the same standard output."""
    assert before.exit_code == 0, before.output
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout and before.stdout.strip()


# ------------------------------------------------------------------------------------ after the command

def test_query_store_after_the_command(query_store_path):
    store = str(query_store_path)
    _same(kg("--store", store, "query", "systems-by-source"),
          kg("query", "systems-by-source", "--store", store))


def test_stats_store_after_the_command(query_store_path):
    store = str(query_store_path)
    after = kg("stats", "--store", store)
    _same(kg("--store", store, "stats"), after)
    assert f"store: {store}" in after.stdout


def test_reach_store_after_the_command(analysis_store_path):
    store = str(analysis_store_path)
    args = ["reach", "--from", "carrier", "--to", "step", "--format", "csv"]
    _same(kg("--store", store, *args), kg(*args, "--store", store))


def test_view_store_after_the_command(query_store_path, tmp_path):
    store = str(query_store_path)
    first, second = tmp_path / "before.html", tmp_path / "after.html"
    before = kg("--store", store, "view", "--focus", "CXCR4", "--out", str(first))
    after = kg("view", "--focus", "CXCR4", "--out", str(second), "--store", store)
    assert before.exit_code == 0 and after.exit_code == 0, after.output
    assert second.read_bytes() == first.read_bytes()


def test_build_store_after_the_command(tmp_path, mini_sources):
    store = tmp_path / "store"
    result = kg("build", "--triples", str(mini_sources.triples), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert (store / "manifest.json").is_file()
    assert f"store: {store}" in result.stderr
    assert not (tmp_path / ".nanomet-kg").exists()


def test_value_after_the_command_wins(query_store_path, tmp_path):
    store, missing = str(query_store_path), str(tmp_path / "missing")
    assert kg("--store", missing, "query", "systems-by-source", "--store", store).exit_code == 0
    result = kg("--store", store, "query", "systems-by-source", "--store", missing)
    assert result.exit_code == 4 and missing in result.stderr


def test_environment_gives_the_default_and_options_override_it(query_store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("NANOMET_KG_STORE", str(query_store_path))
    assert kg("query", "systems-by-source").exit_code == 0
    for args in (["--store", str(tmp_path / "missing"), "query", "systems-by-source"],
                 ["query", "systems-by-source", "--store", str(tmp_path / "missing")]):
        assert kg(*args).exit_code == 4


def test_backend_after_the_command(tmp_path, query_sources, query_store_path, monkeypatch):
    """`--backend rdflib` after the command parses the Turtle instead of opening the (missing) store."""
    root = tmp_path / "data-root"
    shutil.copytree(query_sources.ontology, root / "ontology")
    shutil.copytree(query_sources.triples, root / "data" / "triples")
    monkeypatch.setenv("NANOMET_KG_DATA", str(root))
    args = ["query", "formulations-by-target", "-p", "target=CXCR4", "--format", "tsv"]
    parsed = kg(*args, "--store", str(tmp_path / "no-store"), "--backend", "rdflib")
    _same(kg("--store", str(query_store_path), *args), parsed)


def test_debug_after_the_command_shows_the_exception(tmp_path):
    args = ["query", "systems-by-source", "--store", str(tmp_path / "missing")]
    quiet = kg(*args)
    assert quiet.exit_code == 4 and "Traceback" not in quiet.output
    assert isinstance(quiet.exception, SystemExit)
    loud = kg(*args, "--debug")
    assert isinstance(loud.exception, StoreError)


# ------------------------------------------------------------------------------------ refused options

LOCAL = {"build": [], "validate": [], "serve": ["--port", "0"], "queries": []}


@pytest.mark.parametrize("name", sorted(LOCAL))
@pytest.mark.parametrize("option", [["--backend", "rdflib"], ["--endpoint", "http://127.0.0.1:9/sparql"]])
@pytest.mark.parametrize("after", [False, True])
def test_local_commands_refuse_a_backend(name, option, after, tmp_path):
    store = ["--store", str(tmp_path / "store")]
    args = [*store, name, *LOCAL[name], *option] if after else [*store, *option, name, *LOCAL[name]]
    result = kg(*args)
    assert result.exit_code == 5, result.output
    assert f"`kg {name}` works on the local files and store only: {option[0]} does not apply" in result.stderr
    assert result.stdout == "" and not (tmp_path / "store").exists()


def test_endpoint_from_the_environment_is_not_refused(monkeypatch, mini_sources):
    monkeypatch.setenv("NANOMET_KG_ENDPOINT", "http://127.0.0.1:9/sparql")
    result = kg("validate", "--triples", str(mini_sources.triples))
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------------------------ the command list

def _command(name: str) -> click.Command:
    module, attribute = COMMANDS[name][0].split(":")
    return getattr(importlib.import_module(module), attribute)


def test_command_table_lists_every_command_of_the_cli_modules():
    modules = {target.split(":")[0] for target, _ in COMMANDS.values()}
    commands = [value for module in modules for value in vars(importlib.import_module(module)).values()
                if isinstance(value, click.Command)]
    grouped = {id(sub) for value in commands if isinstance(value, click.Group)
               for sub in value.commands.values()}
    defined = {value.name for value in commands if id(value) not in grouped}  # (a group's subcommands aside)
    assert defined == set(COMMANDS)
    assert all(_command(name).name == name for name in COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_short_help_in_the_table_is_the_commands_own(name):
    command = _command(name)
    for width in (30, 45, 66, 200):
        assert make_default_short_help(COMMANDS[name][1], width) == command.get_short_help_str(width)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_the_shared_options(name):
    command = _command(name)
    options = {opt for param in command.params for opt in param.opts}
    assert {"--store", "--backend", "--endpoint", "--debug"} <= options
    assert isinstance(command, LocalCommand) == (name in LOCAL)


def test_help_lists_every_command_with_its_short_help():
    result = kg("--help")
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(COMMANDS)
    assert "Run the named query NAME (see `kg queries`)." in result.output
