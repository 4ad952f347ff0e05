"""Build the reports: every notebook executed headless into ``reports/<name>.ipynb`` and an offline HTML page.

- Parallel: notebooks run in worker processes (papermill changes the working directory process-wide, so
  threads would race); a kernel that fails to start is retried once, as kernel start can race under load.
- Offline: figures are stored as plotly JSON; at build time each becomes a ``<div>`` drawn by one local copy
  of plotly.js beside the reports (``assets/``), with a stable div id. The template loads nothing from the
  network (no MathJax, require.js, mermaid or widget manager). Corpus text reaches the HTML only through
  nbconvert's escaping of outputs and ``html.escape`` in the index.
- Incremental: a notebook is skipped when its file, parameters, package code and input data (the project's
  and those in a folder parameter such as ``corpus_dir``) hash to the key of its last successful build
  (``--force`` rebuilds). A notebook runs into a staging folder and its files replace the report's only
  when it succeeded; the manifest that records the builds is merged under a lock and replaced atomically,
  so builds into the same folder at once keep each other's reports.
- Reproducible: two builds from the same inputs, into the same or different folders, give byte-identical
  files apart from the fields named in ``VOLATILE`` (when the build ran and how long each notebook took,
  in ``index.html`` and the manifest). Papermill's timestamps are removed from the saved notebooks, its
  absolute paths made relative, and the random ids of widget models and plotly traces renumbered.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from zoomcase import __version__, locks
from zoomcase.paths import REPO_ROOT, data_dir

NOTEBOOKS = REPO_ROOT / "notebooks"
TEMPLATES = Path(__file__).parent / "templates"
PACKAGE = Path(__file__).parent
MANIFEST = ".zoomcase-build.json"
LOCK = ".zoomcase-build.lock"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
WIDGET_NOTE = (
    '<p class="zc-widget-note"><em>Interactive controls (ipywidgets) work only in a live JupyterLab; '
    "open the notebook there to use them. The static tables and figures on this page are the record.</em></p>"
)
KERNEL = "python3"

# The only bytes that may differ between two builds of the same inputs: each records the build run, not
# its inputs or results. By file (relative to the output folder), field and why. ``mask_volatile`` blanks
# them; tests/test_reports.py builds twice and checks that everything else is byte-identical.
VOLATILE: dict[str, dict[str, str]] = {
    "index.html": {
        "written-at": "when the index was written, i.e. when the build ran",
        "built-at": "when each report was last built (from the manifest)",
    },
    MANIFEST: {
        "built_at": "when each notebook was last built",
        "seconds": "how long each notebook took to run (machine load, kernel start)",
    },
}


def _volatile_pattern(file: str, field: str) -> re.Pattern:
    """Group 1 leads to the value of ``field`` in ``file``, group 2 is the value: a member of a notebook's
    entry in the manifest (indented two spaces), the text of an element of that class in the index."""
    if file.endswith(".json"):
        return re.compile(rf'(^  "{re.escape(field)}": )("[^"]*"|[-+.0-9eE]+)', re.MULTILINE)
    return re.compile(rf'(class="{re.escape(field)}">)([^<]*)')


def mask_volatile(file: str, text: str) -> str:
    """``text`` of the built ``file`` (path relative to the output folder) with each ``VOLATILE`` value
    replaced by ``<field>``; the text of any other file is returned unchanged."""
    for field in VOLATILE.get(Path(file).as_posix(), {}):
        text = _volatile_pattern(file, field).sub(rf"\g<1><{field}>", text)
    return text


# Parameters that name a folder of input files. The build makes a relative one absolute (papermill runs
# each notebook in its own folder) and hashes the files in it into the build key.
FOLDER_PARAMETERS = ("corpus_dir",)


class BuildError(ValueError):
    """The build cannot start or record its results; the message names the file and says what to do."""


@dataclass(frozen=True)
class Job:
    notebook: Path
    parameters: dict
    staging: Path  # the worker writes the notebook's files here; they are moved into place on success
    key: str
    commit: str


@dataclass(frozen=True)
class Result:
    name: str
    status: str  # built | skipped | failed
    seconds: float
    parameters: dict
    error: str = ""


def default_notebooks() -> list[Path]:
    """The numbered notebooks in order, then the explorer (its report shows the static snapshot). The
    classroom notebook has its own command: its teacher edition holds the solutions."""
    return sorted(NOTEBOOKS.glob("[0-9]*.ipynb")) + sorted((NOTEBOOKS / "explorer").glob("*.ipynb"))


def notebook_title(notebook: Path) -> str:
    """The notebook's first heading (its question), for the index: a reader sees what each report
    asks before opening it. Empty when the notebook has no heading."""
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Records when the market data were pulled, not what they hold: left out so a re-pull of the same files
# does not invalidate every report.
PULL_RECORD = "PROVENANCE.json"


def failed_notebook(out: Path, name: str) -> Path:
    """Where a failed run keeps its partly executed notebook, for debugging: beside the report, never
    in place of it."""
    return out / f"{name}.failed.ipynb"


def input_data() -> dict[str, str]:
    """sha256 of every input data file (corpus, reference, vocabularies, market data), by relative path."""
    root = data_dir()
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".") and p.name != PULL_RECORD
    )
    return {str(p.relative_to(root)): _sha256(p) for p in files}


def parameter_inputs(parameters: Mapping[str, object]) -> dict[str, str]:
    """sha256 of the files a folder parameter (``corpus_dir``) has the notebook read, by absolute path: its
    ``.txt`` articles (any case) and ``documents.csv``. The build key covers them as it covers data/, so a
    report is rebuilt when the user's own corpus changes. Nothing for a value that names no folder: the
    notebook refuses it itself."""
    found: dict[str, str] = {}
    for name in FOLDER_PARAMETERS:
        value = parameters.get(name)
        if not (isinstance(value, str) and value.strip() and Path(value).is_dir()):
            continue
        from zoomcase.corpus import TABLE  # not at the top: it loads the text pipeline (about a second)

        for entry in sorted(os.scandir(value), key=lambda entry: entry.name):
            if entry.is_file() and (entry.name.lower().endswith(".txt") or entry.name == TABLE):
                found[entry.path] = _sha256(Path(entry.path))
    return found


def absolute_folders(parameters: Mapping[str, object]) -> dict[str, object]:
    """The parameters with a relative folder (``-p corpus_dir h2``) made absolute against the working
    directory: papermill runs each notebook in its own folder, where ``h2`` named nothing."""
    return {
        name: str(Path(value).resolve())
        if name in FOLDER_PARAMETERS and isinstance(value, str) and value.strip()
        else value
        for name, value in parameters.items()
    }


def code_digest() -> str:
    """One hash over the package's code and templates: a change there invalidates every report."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".j2", ".json"}:
            h.update(str(path.relative_to(PACKAGE)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _git(*args: str) -> str:
    run = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def git_commit() -> str:
    """The checkout's commit, marked ``-dirty`` when the work tree differs; ``unknown`` outside git."""
    try:
        head = _git("rev-parse", "--short=12", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def build_key(notebook: Path, parameters: Mapping, code: str, data: Mapping[str, str]) -> str:
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    h.update(code.encode())
    h.update(json.dumps(data, sort_keys=True).encode())
    return h.hexdigest()


def declared_parameters(notebook: Path) -> set[str]:
    """The names in the notebook's ``parameters`` cell."""
    import papermill as pm

    return set(pm.inspect_notebook(str(notebook)))


def _plain(value: object) -> object:
    """A parameter as JSON can hold it: papermill writes the parameters into the notebook, and a date that
    ``-p start 2021-06-01`` gives as YAML stopped the build with a TypeError. Dates become ISO text, which
    every notebook's parameter check reads."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def parameters_by_notebook(notebooks: list[Path], given: Mapping[str, object]) -> dict[Path, dict]:
    """The given parameters that each notebook declares (papermill only warns about unknown ones). A
    parameter that none of them declares is refused: a misspelt name ("peer" for "peers") would otherwise
    be dropped and every report built with the default, a silently wrong chart."""
    if not given:
        return {nb: {} for nb in notebooks}
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    unknown = sorted(set(given) - set().union(*declared.values()))
    if unknown:
        offered = "; ".join(
            f"{nb.stem}: {', '.join(sorted(names)) or 'none'}" for nb, names in declared.items()
        )
        raise ValueError(
            f"parameter(s) {', '.join(unknown)}: declared by none of the notebooks built ({offered}). "
            "Check the spelling, or build the notebook that takes it."
        )
    return {nb: {k: v for k, v in given.items() if k in names} for nb, names in declared.items()}


def _strip_volatile(nb, notebook: Path | None = None) -> None:
    """Remove papermill's timestamps and durations so that reruns give identical notebooks, and its absolute
    paths so that the output folder and the checkout's location do not show (input relative to the repo)."""
    papermill = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration"):
        papermill.pop(key, None)
    if notebook is not None and "input_path" in papermill:
        inside = notebook.is_relative_to(REPO_ROOT)
        papermill["input_path"] = notebook.relative_to(REPO_ROOT).as_posix() if inside else notebook.name
    if "output_path" in papermill:
        papermill["output_path"] = Path(papermill["output_path"]).name
    for cell in nb.cells:
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
        cell.metadata.pop("execution", None)


_MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
_UUID4 = re.compile(r'"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"')


def _stable_ids(nb, name: str):
    """The notebook with the random ids in its saved widget state renumbered in a fixed order: widget model
    ids (uuid4 hex, also in the outputs that display them) and plotly trace uids (a FigureWidget's
    ``uid``). Models are numbered depth first from the displayed ones, then any others by content; the
    new ids derive from the notebook's name and that number (uuid5), so they are the same every build."""
    import nbformat

    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})
    if not state:
        return nb
    roots = [
        o["data"][WIDGET_MIME].get("model_id")
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if WIDGET_MIME in o.get("data", {})
    ]

    def masked(model_id: str) -> str:
        return _MODEL_REF.sub("IPY_MODEL_", json.dumps(state[model_id], sort_keys=True))

    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in state and model_id not in order:
            order.append(model_id)
            for child in _MODEL_REF.findall(json.dumps(state[model_id], sort_keys=True)):
                visit(child)

    for model_id in roots + sorted(state, key=masked):
        visit(model_id)
    mapping: dict[str, str] = {}
    for model_id in order:
        mapping[model_id] = uuid.uuid5(uuid.NAMESPACE_URL, f"zoomcase:{name}:widget:{len(mapping)}").hex
    for uid in _UUID4.findall(json.dumps([state[m] for m in order], sort_keys=True)):
        mapping.setdefault(uid, str(uuid.uuid5(uuid.NAMESPACE_URL, f"zoomcase:{name}:uid:{len(mapping)}")))
    ids = re.compile("|".join(re.escape(old) for old in mapping))
    return nbformat.reads(ids.sub(lambda m: mapping[m.group(0)], nbformat.writes(nb)), as_version=4)


def plotly_asset() -> str:
    import plotly

    return f"assets/plotly-{plotly.__version__}.min.js"


def write_plotly_asset(out: Path) -> Path:
    """One local copy of plotly.js for every report (none of them loads it from a CDN)."""
    from plotly.offline import get_plotlyjs

    target = out / plotly_asset()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(get_plotlyjs(), encoding="utf-8")
    return target


def to_html(nb, name: str, parameters: Mapping, commit: str) -> str:
    """Standalone HTML for an executed notebook: plotly JSON drawn by the local plotly.js, widget views
    replaced by a note (their state is not live in a static page), nothing loaded from the network."""
    import copy

    import plotly.io as pio
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):  # a dead control would mislead: say what it is
                output["data"] = {"text/html": WIDGET_NOTE}
                continue
            figure = output.get("data", {}).get(PLOTLY_MIME)
            if figure is not None:
                count += 1
                div = pio.to_html(
                    figure,
                    include_plotlyjs=False,
                    full_html=False,
                    div_id=f"{name}-fig-{count}",
                    validate=False,
                )
                output["data"] = {"text/html": div}
    exporter = HTMLExporter(template_name="zoomcase", extra_template_basedirs=[str(TEMPLATES)])
    resources = {
        "plotly_js_url": plotly_asset(),
        "report_name": name,
        "report_parameters": json.dumps(parameters, sort_keys=True, default=str),
        "report_version": __version__,
        "report_commit": commit,
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _execute(job: Job) -> Result:
    """Run one notebook (in a worker process) and write its .ipynb and .html into the staging folder."""
    import nbformat
    import papermill as pm

    name = job.notebook.stem
    target = job.staging / f"{name}.ipynb"
    start = time.perf_counter()
    for attempt in (1, 2):
        try:
            pm.execute_notebook(
                str(job.notebook),
                str(target),
                parameters=job.parameters,
                cwd=str(job.notebook.parent),
                kernel_name=KERNEL,
                progress_bar=False,
            )
            break
        except pm.PapermillExecutionError as exc:
            error = f"cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
            return Result(name, "failed", time.perf_counter() - start, job.parameters, error)
        except RuntimeError as exc:  # "Kernel didn't respond in 60 seconds" and other start-up races
            if attempt == 2:
                return Result(name, "failed", time.perf_counter() - start, job.parameters, f"kernel: {exc}")
    nb = nbformat.read(target, as_version=4)
    _strip_volatile(nb, job.notebook)
    nb = _stable_ids(nb, name)
    nbformat.write(nb, target)
    (job.staging / f"{name}.html").write_text(to_html(nb, name, job.parameters, job.commit), encoding="utf-8")
    return Result(name, "built", time.perf_counter() - start, job.parameters)


def _replace_text(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed over it): a build interrupted or running
    beside another never leaves half a file. Call it under the folder's lock: the temporary name is fixed."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(out: Path, damaged_ok: bool = False) -> dict[str, dict]:
    """The build record of ``out`` by report name; empty when there is none. A damaged one is refused, not
    ignored: it is the only record of which reports in the folder are current and what they were built
    from, and replacing it silently would drop the reports it lists from the index. ``damaged_ok``
    (``--force``, which rebuilds anyway): a damaged one counts as empty and is replaced."""
    path = out / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(manifest, dict) and all(isinstance(e, dict) for e in manifest.values())):
            raise ValueError("not an object of one object per report")
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError too
        if damaged_ok:
            return {}
        raise BuildError(
            f"{path}: this build record is damaged ({error}). Delete it (every report is then built "
            "again) or build with --force."
        ) from error
    return manifest


def _unique(notebooks: Iterable[Path]) -> list[Path]:
    """The notebooks resolved, each once, in the order given: one named twice ran twice at once into the
    same files. Two notebooks of the same name in different folders are refused: their reports would
    overwrite each other."""
    unique = list(dict.fromkeys(Path(n).resolve() for n in notebooks))
    by_name: dict[str, Path] = {}
    for nb in unique:
        other = by_name.setdefault(nb.stem, nb)
        if other != nb:
            raise BuildError(
                f"{other} and {nb}: both would be the report {nb.stem}. Build them into different --out "
                "folders, or rename one."
            )
    return unique


def _publish(out: Path, job: Job, result: Result, inputs: Mapping[str, str], force: bool) -> None:
    """Move a finished notebook's files from the staging folder into ``out`` and record a success in the
    manifest, under the folder's lock: a report's files and its manifest entry change together, and a
    build finishing beside another merges its entries into the manifest rather than overwriting it. A
    failed run's partly executed notebook is kept as ``failed_notebook``; the report and its entry stay
    those of the last good build, whose key is still the one to match."""
    name, staged = result.name, job.staging / f"{result.name}.ipynb"
    with locks.locked(out / LOCK):
        failed_notebook(out, name).unlink(missing_ok=True)  # an earlier failure's: this run supersedes it
        if result.status != "built":
            if staged.exists():  # none when the kernel did not start
                os.replace(staged, failed_notebook(out, name))
            return
        manifest = read_manifest(out, damaged_ok=force)
        for ext in (".ipynb", ".html"):
            os.replace(job.staging / f"{name}{ext}", out / f"{name}{ext}")
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        title = notebook_title(job.notebook)
        entry = {"key": job.key, "built_at": stamp, **asdict(result), "title": title, "inputs": dict(inputs)}
        _replace_text(
            out / MANIFEST, json.dumps({**manifest, name: entry}, indent=1, sort_keys=True, default=str)
        )


def build(
    notebooks: Iterable[Path],
    parameters: Mapping[str, object],
    out: Path,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] = print,
) -> list[Result]:
    """Build the reports; returns one Result per notebook (skipped, built or failed), in input order."""
    notebooks = _unique(notebooks)
    parameters = absolute_folders({name: _plain(value) for name, value in parameters.items()})
    missing = [str(n) for n in notebooks if not n.is_file()]
    if missing:
        raise ValueError(f"no such notebook: {', '.join(missing)}")
    params_of = parameters_by_notebook(notebooks, parameters)
    out.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(out, damaged_ok=force)
    code, data, commit = code_digest(), input_data(), git_commit()
    results: dict[str, Result] = {}
    keys: dict[Path, str] = {}
    inputs = {nb: parameter_inputs(params_of[nb]) for nb in notebooks}
    for nb in notebooks:
        key = build_key(nb, params_of[nb], code, {**data, **inputs[nb]})
        done = all((out / f"{nb.stem}{ext}").exists() for ext in (".ipynb", ".html"))
        if not force and done and manifest.get(nb.stem, {}).get("key") == key:
            results[nb.stem] = Result(nb.stem, "skipped", 0.0, params_of[nb])
        else:
            keys[nb] = key
    if keys:
        write_plotly_asset(out)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(keys)))
        progress(f"building {len(keys)} of {len(notebooks)} notebook(s) with {workers} worker(s)")
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".building-"))
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                queued = [Job(nb, params_of[nb], staging, key, commit) for nb, key in keys.items()]
                futures = {pool.submit(_execute, job): job for job in queued}
                for n, future in enumerate(as_completed(futures), start=1):
                    job, r = futures[future], future.result()
                    _publish(out, job, r, inputs[job.notebook], force)
                    results[r.name] = r
                    progress(f"[{n}/{len(keys)}] {r.name}: {r.status} ({r.seconds:.1f}s) {r.error}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    ordered = [results[nb.stem] for nb in notebooks]
    titles = {nb.stem: notebook_title(nb) for nb in notebooks}
    with locks.locked(out / LOCK):  # the manifest as the last build to finish left it, in the index
        write_index(out, ordered, read_manifest(out, damaged_ok=force), data, commit, titles)
    return ordered


def report_order(names: Iterable[str]) -> list[str]:
    """Report names in notebook order (as ``default_notebooks``), any others after them by name."""
    rank = {nb.stem: i for i, nb in enumerate(default_notebooks())}
    return sorted(set(names), key=lambda name: (rank.get(name, len(rank)), name))


def write_index(
    out: Path,
    results: list[Result],
    manifest: Mapping,
    data: Mapping[str, str],
    commit: str,
    titles: Mapping[str, str],
) -> Path:
    """``index.html``: every report in ``out`` (recorded in the manifest, its HTML present) and every
    notebook of this build (``results``), in notebook order, with its question (``titles``, else as
    recorded), status, parameters and build time; the input files with their sha256 (data/ as of this
    build, and each listed report's folder parameter files as recorded); version, commit, time. A report
    not in this build is "not in this build": it is the last one built, which may be out of date."""
    e = html.escape
    this_build = {r.name: r for r in results}
    reports = {name: entry for name, entry in manifest.items() if (out / f"{name}.html").is_file()}
    rows = []
    for name in report_order([*reports, *this_build]):
        report, r = reports.get(name), this_build.get(name)
        parameters = report.get("parameters", {}) if report else r.parameters
        error = r.error if r else ""
        if report and r and r.status == "failed":  # the files are still the last good build's
            tried = json.dumps(r.parameters, default=str)
            error += f" (parameters {tried}; the report linked is the last good build)"
        title = titles.get(name) or (report or {}).get("title", "")
        link = f'<a href="{e(name)}.html">{e(name)}</a>' if report else e(name)
        rows.append(
            f"<tr><td>{link}</td><td>{e(title)}</td><td>{e(r.status if r else 'not in this build')}</td>"
            f"<td><code>{e(json.dumps(parameters, default=str))}</code></td>"
            f'<td class="built-at">{e((report or {}).get("built_at", ""))}</td><td>{e(error)}</td></tr>'
        )
    folders = {path: h for entry in reports.values() for path, h in entry.get("inputs", {}).items()}
    files = {**data, **dict(sorted(folders.items()))}
    data_rows = "".join(f"<tr><td>{e(p)}</td><td><code>{e(h)}</code></td></tr>" for p, h in files.items())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>zoomcase reports</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:70em}}td,th{{padding:.2em .6em;
text-align:left;vertical-align:top;border-bottom:1px solid #ddd}}code{{font-size:.85em}}</style></head>
<body><h1>zoomcase reports</h1>
<p>zoomcase {e(__version__)} · commit <code>{e(commit)}</code> · index written
<span class="written-at">{e(datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))}</span></p>
<table><tr><th>report</th><th>question</th><th>status</th><th>parameters</th><th>built</th><th>error</th></tr>
{"".join(rows)}</table>
<h2>Input data</h2><table><tr><th>file (under data/, or in a folder given as a parameter)</th>
<th>sha256</th></tr>{data_rows}</table>
</body></html>
"""
    target = out / "index.html"
    _replace_text(target, page)
    return target
