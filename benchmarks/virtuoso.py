"""A private Virtuoso open-source instance (Debian package ``virtuoso-opensource``) for the tests and the
benchmarks: its own folder, its own ``virtuoso.ini``, free loopback ports, loaded with Virtuoso's bulk
loader, stopped afterwards. Nothing is written outside the folder.

    python -m benchmarks.virtuoso --snapshot .nanomet-kg/store/snapshot.ttl --folder /tmp/kg-virtuoso

loads the snapshot ``kg build`` wrote, prints the endpoint for ``kg --endpoint`` and serves until Ctrl-C.

The endpoint URL names the graph the snapshot was loaded into as the default graph
(``/sparql?default-graph-uri=…``, SPARQL 1.1 Protocol): Virtuoso's own default graph is the union of
every graph, its system graphs included.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.servers import free_port, wait_until_up

GRAPH = "https://w3id.org/nanomet-kg/graph"
BUFFER_BYTES = 8192  # one of Virtuoso's NumberOfBuffers

INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {folder}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; every row, no time limit: no partial ("anytime") answers
ResultSetMaxRows = 0
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def binary(name: str = "virtuoso-t") -> str | None:
    """The path of a Virtuoso program, or ``None`` when the package is not installed."""
    return shutil.which(name)


class Virtuoso:
    """One Virtuoso server of ours: ``start()``, ``load()`` a file, query ``endpoint``, ``stop()``.

    ``memory_mb`` sizes its page buffers (Virtuoso's guide: about 2/3 of the memory it may use).
    """

    def __init__(self, folder: Path, memory_mb: int = 256):
        self.folder = Path(folder).resolve()
        self.buffers = max(memory_mb * 1024 * 1024 // BUFFER_BYTES, 2000)
        self.sql_port = self.http_port = 0
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        """The SPARQL endpoint, with the loaded graph as the default graph."""
        return (f"http://127.0.0.1:{self.http_port}/sparql?default-graph-uri="
                f"{urllib.parse.quote(GRAPH, safe='')}")

    def start(self, timeout: float = 120) -> Virtuoso:
        server = binary()
        if server is None:
            raise RuntimeError("virtuoso-t not found: apt-get install virtuoso-opensource")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(folder=self.folder, sql_port=self.sql_port, http_port=self.http_port,
                                  buffers=self.buffers, dirty=self.buffers * 3 // 4))
        # in the foreground (-f): the server is our child, and stopping it is ours to do
        self.process = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ask = self.endpoint + "&query=" + urllib.parse.quote("ASK {}")
        if not wait_until_up(ask, timeout, self.process):
            self.stop()
            raise RuntimeError(f"Virtuoso did not start; see {self.folder / 'virtuoso.log'}")
        return self

    def isql(self, sql: str, timeout: float = 3600) -> str:
        """Run SQL statements (``;``-separated) through ``isql-vt``; their output."""
        client = binary("isql-vt")
        if client is None:
            raise RuntimeError("isql-vt not found: apt-get install virtuoso-opensource")
        done = subprocess.run([client, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout, cwd=self.folder)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {(done.stdout + done.stderr).strip()[:1000]}")
        return done.stdout

    def load(self, file: Path, graph: str = GRAPH) -> None:
        """Bulk-load an RDF file (Turtle, N-Triples …) into ``graph`` with Virtuoso's loader
        (``ld_dir`` + ``rdf_loader_run``), then checkpoint. The file is linked into our folder, the only
        folder the server may read."""
        inbox = self.folder / "load"
        inbox.mkdir(exist_ok=True)
        link = inbox / Path(file).name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(Path(file).resolve())
        self.isql(f"ld_dir('{inbox}', '{link.name}', '{graph}'); rdf_loader_run(); checkpoint;")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"the bulk loader failed: {errors.strip()[:1000]}")

    def stop(self, timeout: float = 30) -> None:
        """Stop the server (SIGTERM: a quick shutdown; killed if it does not end in ``timeout`` s)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        self.process = None

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--snapshot", type=Path, required=True, help="the Turtle file to load (kg build's)")
    parser.add_argument("--folder", type=Path, required=True, help="a new folder for the database")
    parser.add_argument("--memory-mb", type=int, default=1024, help="page buffers (default 1024 MB)")
    args = parser.parse_args(argv)
    if args.folder.exists() and any(args.folder.iterdir()):
        parser.error(f"{args.folder} is not empty: give a new folder")
    with Virtuoso(args.folder, args.memory_mb) as server:
        started = time.perf_counter()
        server.load(args.snapshot)
        print(f"loaded in {time.perf_counter() - started:.1f} s; endpoint:\n  {server.endpoint}", flush=True)
        try:
            server.process.wait()  # type: ignore[union-attr]
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
