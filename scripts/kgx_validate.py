"""Run the KGX validator on a ``kg export --format kgx`` folder, offline, against a packaged Biolink model.

This is what ``kgx validate -i tsv nodes.tsv edges.tsv`` does (kgx.cli.cli_utils.validate: kgx's
``Validator`` inspecting every record that kgx's own TSV reader yields), with two settings changed so that
nothing is downloaded:

- the Biolink model: kgx builds bmt Toolkits with bmt's defaults (one already on import, in
  kgx.utils.kgx_utils), and those defaults are URLs on GitHub; here they are the model YAML that the
  ``biolink-model`` package ships and an empty predicate map (the validator does not read that map);
- the prefixes: kgx's validator knows the prefixes of the JSON-LD context named in its configuration
  (``jsonld-context: biolink`` in kgx/config.yml, a URL of Biolink 2.2.5's context); here it is a local
  context with the prefixes of the packaged Biolink model plus those the export declares in
  ``prefix-map.json`` (``--biolink-prefixes-only`` leaves the export's out).

Every attempt to resolve a name or open a connection is refused and reported. The checks themselves are
kgx's, unchanged. Runs in the validator's own environment (``.kgx-venv``, made by scripts/test.sh from
scripts/kgx-requirements.txt), because kgx cannot share one with the project's dependencies (README,
"Dependencies and why").

Usage: .kgx-venv/bin/python scripts/kgx_validate.py FOLDER [--biolink-prefixes-only]
Prints one JSON object (the model's and packages' versions, the records inspected, the validator's
messages, the reader's messages, the refused connections); exit status 0 when there are none of those, 1
when there are, 2 on a usage error.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import socket
import sys
import tempfile
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

REFUSED: list[str] = []


def block_network() -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        REFUSED.append(repr(args[:2]))
        raise OSError("network blocked by scripts/kgx_validate.py")

    for name in ("getaddrinfo", "create_connection", "gethostbyname"):
        setattr(socket, name, refuse)
    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]


def use_packaged_model() -> tuple[Path, Path]:
    """Make bmt's default model the YAML of the installed ``biolink-model`` package (before kgx loads)."""
    from bmt import Toolkit

    root = files("biolink_model")
    model = Path(str(root / "schema" / "biolink_model.yaml"))
    prefixes = Path(str(root / "prefixmaps" / "biolink-model-prefix-map.json"))
    positional = [p.name for p in inspect.signature(Toolkit.__init__).parameters.values()
                  if p.kind is p.POSITIONAL_OR_KEYWORD]
    if positional != ["self", "schema", "predicate_map"]:
        raise SystemExit(f"unexpected bmt Toolkit parameters {positional}: see scripts/kgx-requirements.txt")
    Toolkit.__init__.__defaults__ = (str(model), {"predicate mappings": []})
    return model, prefixes


def use_context(prefixes: dict[str, str], folder: Path) -> None:
    """Name a local JSON-LD context with ``prefixes`` as the Biolink context in kgx's configuration."""
    from kgx.config import get_config

    context = folder / "context.jsonld"
    context.write_text(json.dumps({"@context": prefixes}), encoding="utf-8")
    get_config()["jsonld-context"]["biolink"] = str(context)


def validate(folder: Path, declared: bool = True) -> dict[str, Any]:
    block_network()
    _, biolink_prefixes = use_packaged_model()
    prefixes = json.loads(biolink_prefixes.read_text(encoding="utf-8"))
    own = folder / "prefix-map.json"
    if declared and own.exists():
        prefixes.update(json.loads(own.read_text(encoding="utf-8")))
    seen = {"NODE": 0, "EDGE": 0}

    def count(kind: Any, record: Any) -> None:
        seen[kind.name] += 1

    # kgx logs to stdout: keep it on stderr, so that stdout holds only the report
    with tempfile.TemporaryDirectory() as scratch, contextlib.redirect_stdout(sys.stderr):
        use_context(prefixes, Path(scratch))
        from kgx.transformer import Transformer
        from kgx.validator import Validator

        # kgx.cli.cli_utils.validate, keeping the reader's messages too
        Validator.set_biolink_model(None)
        validator = Validator(progress_monitor=count)
        transformer = Transformer(stream=True)
        transformer.transform(
            input_args={"filename": [str(folder / "nodes.tsv"), str(folder / "edges.tsv")], "format": "tsv"},
            output_args={"format": "null"},
            inspector=validator,
        )
    return {
        "biolink_model": validator.get_validation_model_version(), "kgx": version("kgx"),
        "biolink_model_package": version("biolink-model"),
        "prefixes": len(validator.prefixes), "nodes": seen["NODE"], "edges": seen["EDGE"],
        "validator": validator.get_errors(),
        "reader": transformer.get_errors(), "refused_connections": REFUSED,
    }


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("usage: " + __doc__.split("Usage: ", 1)[1].split("\n", 1)[0], file=sys.stderr)
        return 2
    folder = Path(argv[0])
    missing = [str(folder / name) for name in ("nodes.tsv", "edges.tsv") if not (folder / name).is_file()]
    if missing:
        print(f"error: no {' nor '.join(missing)} (write them with kg export --format kgx --out FOLDER)",
              file=sys.stderr)
        return 2
    report = validate(folder, declared="--biolink-prefixes-only" not in argv[1:])
    json.dump(report, sys.stdout, indent=1, sort_keys=True)
    print()
    return 1 if report["validator"] or report["reader"] or report["refused_connections"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
