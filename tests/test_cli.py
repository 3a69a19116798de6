"""The command line, through click's CliRunner: exit codes and messages, no tracebacks."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main


def test_build_and_stats(tmp_path, mini_sources):
    runner = CliRunner()
    store = str(tmp_path / "store")
    result = runner.invoke(main, ["--store", store, "build", "--triples", str(mini_sources.triples)])
    assert result.exit_code == 0, result.output
    assert "Formulation" in result.output and "CMR2022" in result.output
    result = runner.invoke(main, ["--store", store, "stats"])
    assert result.exit_code == 0
    assert "triples:" in result.output


def test_stats_without_store_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "none"), "stats"])
    assert result.exit_code == 4
    assert "run `kg build` first" in result.output
    assert "Traceback" not in result.output


def test_validate_reports_syntax_error_without_traceback(mini_copy):
    (mini_copy.triples / "broken.ttl").write_text("@prefix : <http://x/> .\n:a :b \n")
    result = CliRunner().invoke(main, ["validate", "--triples", str(mini_copy.triples)])
    assert result.exit_code == 2
    assert "broken.ttl" in result.output and "line" in result.output
    assert "Traceback" not in result.output


def test_debug_shows_the_exception(mini_copy):
    (mini_copy.triples / "broken.ttl").write_text("garbage\n")
    result = CliRunner().invoke(main, ["--debug", "validate", "--triples", str(mini_copy.triples)])
    assert result.exit_code != 0
    assert result.exception is not None


def test_help_lists_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "stats"):
        assert command in result.output
