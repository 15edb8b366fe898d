"""Mutation testing of the access policy: does some test fail for every change of behaviour?

    uv run python benchmarks/mutation.py                 # every mutant, the policy tests
    uv run python benchmarks/mutation.py --list          # only list the mutants
    uv run python benchmarks/mutation.py --only 12 40    # re-run some mutants
    uv run python benchmarks/mutation.py --lines 69-285  # the mutants on some lines

Each mutant is one small change of ``src/teilhabe/accounts/policy.py`` — ``and`` for ``or``,
``|`` for ``&``, a dropped filter term or keyword, a dropped role, ``<=`` for ``<``, a negated
condition, a flipped constant. The project is copied to a temporary folder, the mutant is
written there and the tests run against it (the working tree is never touched). A mutant is
*killed* when a test fails. A surviving mutant is a hole in the tests — unless it is listed
in ``EQUIVALENT`` below with the reason why it cannot change behaviour.

Which tests run for a mutant: first the whole selection of tests runs once unmutated, with a
line tracer recording which lines of the policy each test executes (this run is also the
baseline: it must pass). A mutant then runs only the tests that executed one of the lines it
changes — a test that never reaches those lines cannot notice the change. A mutant of code
that runs at import (module constants, decorators) runs every test.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from _typeshed import TraceFunction

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path("src/teilhabe/accounts/policy.py")
# The policy's own tests first: they fail first, and -x stops at the first failure.
TESTS = [
    "tests/accounts/test_policy.py",
    "tests/accounts",
    "tests/participants",
    "tests/cases",
    "tests/privacy",
    # The rest of tests/audit checks the triggers, which come with the migrations.
    "tests/audit/test_pages.py",
    "tests/audit/test_admin_audit.py",
    "tests/core",
    "tests/reports",
    "tests/test_review_findings.py",
    "tests/test_architecture.py",
]
# Mutants that cannot change what anyone may see or do, keyed by the line they change (its
# text, so that the key survives edits elsewhere) and the change. They are not run.
EQUIVALENT: dict[str, str] = {
    "if not user.is_authenticated or not user.is_active: | drop operand 1 of 2": (
        "an anonymous visitor is never active (AnonymousUser.is_active is False), so the "
        "first test adds nothing the second does not say"
    ),
    "if municipality is not None and has_role(user, Role.COORDINATOR, municipality): | "
    "drop operand 1 of 2": (
        "a provider always has a municipality (constraint organisation_provider_has_municipality); "
        "the test is there for the type checker"
    ),
}


@dataclass(frozen=True)
class Mutant:
    number: int
    line: int
    description: str
    source: str
    # The changed line's text and the change: the key of ``EQUIVALENT``.
    key: str
    # The lines the change touches, and whether they run at import rather than in a call.
    lines: frozenset[int]
    at_import: bool


class _Collector(ast.NodeVisitor):
    """Finds every place a mutation applies, in a fixed order (so numbers are stable)."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, str, str]] = []

    def add(self, node: ast.AST, kind: str, detail: str) -> None:
        self.sites.append((node, kind, detail))

    # Annotations are not run (``from __future__ import annotations``) and decorators
    # (``@dataclass(frozen=True)``) shape classes, not decisions: no mutant there.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for child in (node.args, *node.body):
            self.visit(child)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for child in node.body:
            self.visit(child)

    def visit_arg(self, node: ast.arg) -> None:
        return None

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        self.add(node, "boolop", "and→or" if isinstance(node.op, ast.And) else "or→and")
        for index in range(len(node.values)):
            self.add(
                node, f"drop_operand:{index}", f"drop operand {index + 1} of {len(node.values)}"
            )
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, (ast.BitOr, ast.BitAnd)):
            self.add(node, "binop", "|→&" if isinstance(node.op, ast.BitOr) else "&→|")
            self.add(node, "keep_left", "keep only the left side of " + _op(node.op))
            self.add(node, "keep_right", "keep only the right side of " + _op(node.op))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, (ast.Not, ast.Invert)):
            self.add(node, "drop_unary", "drop " + ("not" if isinstance(node.op, ast.Not) else "~"))
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for index, op in enumerate(node.ops):
            swapped = _SWAP.get(type(op))
            if swapped is not None:
                self.add(node, f"compare:{index}", f"{type(op).__name__}→{swapped.__name__}")
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        self.add(node, "negate_if", "negate the if condition")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for index, keyword in enumerate(node.keywords):
            if keyword.arg is not None and ("__" in keyword.arg or keyword.arg in _FILTER_ARGS):
                self.add(node, f"drop_keyword:{index}", f"drop keyword {keyword.arg}=")
        self.generic_visit(node)

    def visit_Set(self, node: ast.Set) -> None:
        if len(node.elts) > 1:
            for index in range(len(node.elts)):
                self.add(node, f"drop_element:{index}", f"drop set element {index + 1}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, bool):
            self.add(node, "flip_bool", f"{node.value}→{not node.value}")
        elif isinstance(node.value, str):
            for old, new in _LOOKUPS:
                if node.value.endswith(old):
                    self.add(node, f"lookup:{old}:{new}", f"lookup {old}→{new}")
                    break

    def visit_Return(self, node: ast.Return) -> None:
        if (
            node.value is not None
            and not isinstance(node.value, ast.Constant)
            and not _empty(node.value)
        ):
            self.add(node, "return_empty", "return an empty/false value")
        self.generic_visit(node)


_SWAP: dict[type, type] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_LOOKUPS = [("__lte", "__lt"), ("__gte", "__gt"), ("__gt", "__gte"), ("__lt", "__lte")]
_FILTER_ARGS = {"purpose", "user", "is_active", "participant", "controller", "file", "programme_id"}


def _empty(value: ast.expr) -> bool:
    """``set()``, ``frozenset()``, ``[]`` …: already what the empty-return mutant returns."""
    if isinstance(value, ast.Call):
        return (
            isinstance(value.func, ast.Name)
            and value.func.id in {"set", "frozenset", "list", "dict", "tuple"}
            and not value.args
            and not value.keywords
        )
    return isinstance(value, (ast.List, ast.Tuple, ast.Dict)) and not getattr(
        value, "elts", getattr(value, "keys", None)
    )


def _op(op: ast.operator) -> str:
    return "|" if isinstance(op, ast.BitOr) else "&"


def _is_docstring_or_text(tree: ast.Module) -> set[int]:
    """ids of string constants that are docstrings: mutating them changes nothing."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
    return skip


def _apply(node: ast.AST, kind: str) -> ast.AST | None:
    """The replacement node for one mutation (None: remove nothing, mutate in place)."""
    if kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind.startswith("drop_operand:"):
        assert isinstance(node, ast.BoolOp)
        index = int(kind.split(":")[1])
        rest = [v for i, v in enumerate(node.values) if i != index]
        return rest[0] if len(rest) == 1 else ast.BoolOp(op=node.op, values=rest)
    elif kind == "binop":
        assert isinstance(node, ast.BinOp)
        node.op = ast.BitAnd() if isinstance(node.op, ast.BitOr) else ast.BitOr()
    elif kind == "keep_left":
        assert isinstance(node, ast.BinOp)
        return node.left
    elif kind == "keep_right":
        assert isinstance(node, ast.BinOp)
        return node.right
    elif kind == "drop_unary":
        assert isinstance(node, ast.UnaryOp)
        return node.operand
    elif kind.startswith("compare:"):
        assert isinstance(node, ast.Compare)
        index = int(kind.split(":")[1])
        node.ops[index] = _SWAP[type(node.ops[index])]()
    elif kind == "negate_if":
        assert isinstance(node, ast.If)
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif kind.startswith("drop_keyword:"):
        assert isinstance(node, ast.Call)
        index = int(kind.split(":")[1])
        node.keywords = [k for i, k in enumerate(node.keywords) if i != index]
    elif kind.startswith("drop_element:"):
        assert isinstance(node, ast.Set)
        index = int(kind.split(":")[1])
        node.elts = [e for i, e in enumerate(node.elts) if i != index]
    elif kind == "flip_bool":
        assert isinstance(node, ast.Constant)
        node.value = not node.value
    elif kind.startswith("lookup:"):
        assert isinstance(node, ast.Constant)
        assert isinstance(node.value, str)
        _, old, new = kind.split(":")
        node.value = node.value[: -len(old)] + new
    elif kind == "return_empty":
        assert isinstance(node, ast.Return)
        node.value = ast.Call(func=ast.Name("frozenset", ast.Load()), args=[], keywords=[])
    return None


class _Replacer(ast.NodeTransformer):
    def __init__(self, target_index: int, kind: str) -> None:
        self.target_index = target_index
        self.kind = kind
        self.index = -1

    def visit(self, node: ast.AST) -> ast.AST:
        self.index += 1
        if self.index == self.target_index:
            replacement = _apply(node, self.kind)
            if replacement is not None:
                return replacement
            return node
        return super().visit(node)


def mutants() -> Iterator[Mutant]:
    source = (ROOT / TARGET).read_text()
    source_lines = source.splitlines()
    tree = ast.parse(source)
    docstrings = _is_docstring_or_text(tree)
    collector = _Collector()
    collector.visit(tree)
    in_calls = _lines_run_in_calls(tree)
    number = 0
    for node, kind, detail in collector.sites:
        if id(node) in docstrings:
            continue
        mutated = copy.deepcopy(tree)
        walk_index = _preorder_index(tree, node)
        _Replacer(walk_index, kind).visit(mutated)
        ast.fix_missing_locations(mutated)
        try:
            text = ast.unparse(mutated)
        except Exception:  # an impossible mutation (e.g. an empty set literal)
            continue
        if text == ast.unparse(tree):
            continue
        number += 1
        line = getattr(node, "lineno", 0)
        # An if's body is not changed by negating its condition; the condition's lines are.
        spanned = node.test if isinstance(node, ast.If) else node
        first = getattr(spanned, "lineno", 0)
        lines = frozenset(range(first, (getattr(spanned, "end_lineno", None) or first) + 1))
        key = f"{source_lines[line - 1].strip()} | {detail}" if line else detail
        yield Mutant(
            number, line, f"line {line}: {detail}", text, key, lines, not lines <= in_calls
        )


def _lines_run_in_calls(tree: ast.Module) -> set[int]:
    """Lines of function bodies: they run when called, so a tracer sees which test runs them."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0].lineno
            lines.update(range(first, (node.end_lineno or first) + 1))
        elif isinstance(node, ast.Lambda):
            lines.update(range(node.body.lineno, (node.body.end_lineno or node.lineno) + 1))
    return lines


def _preorder_index(tree: ast.AST, target: ast.AST) -> int:
    """The position of ``target`` in the order NodeTransformer.visit meets nodes."""
    index = -1
    found = -1

    def walk(node: ast.AST) -> None:
        nonlocal index, found
        index += 1
        if node is target:
            found = index
        for child in ast.iter_child_nodes(node):
            walk(child)

    walk(tree)
    return found


def _project_copy() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="teilhabe-mutation-"))
    for name in ("src", "tests", "pyproject.toml"):
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, folder / name)
    return folder


_PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nomigrations"]


class _LineRecorder:
    """A pytest plugin: which lines of the policy each test (setup, call, teardown) executes."""

    def __init__(self) -> None:
        self.current = ""
        self.lines: dict[str, set[int]] = {}
        self.target = str(TARGET)

    def _trace(self, frame: FrameType, event: str, arg: object) -> TraceFunction | None:
        if not frame.f_code.co_filename.endswith(self.target):
            return None
        self.lines.setdefault(self.current, set()).add(frame.f_lineno)
        return self._trace_lines

    def _trace_lines(self, frame: FrameType, event: str, arg: object) -> TraceFunction | None:
        if event == "line":
            self.lines.setdefault(self.current, set()).add(frame.f_lineno)
        return self._trace_lines

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        self.current = item.nodeid
        self.lines.setdefault(item.nodeid, set())
        # Threads started during the test (a live server) are traced too.
        threading.settrace(self._trace)
        sys.settrace(self._trace)
        try:
            yield
        finally:
            sys.settrace(None)
            threading.settrace(None)


def record_lines(output: Path) -> int:
    """Run the selected tests once, unmutated, and write which policy lines each one ran."""
    recorder = _LineRecorder()
    status = pytest.main([*_PYTEST[3:], *TESTS], plugins=[recorder])
    output.write_text(json.dumps({test: sorted(lines) for test, lines in recorder.lines.items()}))
    return int(status)


def _tests_for(mutant: Mutant, lines_by_test: dict[str, set[int]], every: list[str]) -> list[str]:
    if mutant.at_import:
        return every
    return [test for test in every if lines_by_test[test] & mutant.lines]


TIMED_OUT = "(no result in time)"


def _outcome(
    mutant: Mutant, tests: list[str], folder: Path, env: dict[str, str], timeout: int
) -> str | None:
    """The first test that fails with this mutant in place (None: every test passes)."""
    (folder / TARGET).write_text(mutant.source)
    try:
        result = subprocess.run(
            [*_PYTEST, "-x", "-rf", *tests],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return TIMED_OUT
    if result.returncode == 0:
        return None
    for line in result.stdout.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0]
    return f"(pytest exited with {result.returncode})"


def run(selected: list[int] | None, timeout: int, workers: int) -> int:
    folders = [_project_copy() for _ in range(workers)]
    envs = [
        {**os.environ, "TEILHABE_VAR_DIR": str(folder / "var"), "PYTHONDONTWRITEBYTECODE": "1"}
        for folder in folders
    ]
    for env in envs:
        env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    line_file = folders[0] / "lines.json"
    recording = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--record-lines", str(line_file)],
        cwd=folders[0],
        env=envs[0],
        capture_output=True,
        text=True,
    )
    if recording.returncode != 0:
        print(recording.stdout[-3000:], recording.stderr[-2000:])
        print("The tests fail without any mutation; fix that first.")
        return 2
    lines_by_test = {test: set(lines) for test, lines in json.loads(line_file.read_text()).items()}
    every = list(lines_by_test)
    print(
        f"{len(every)} tests recorded in {time.perf_counter() - started:.0f} s "
        f"({sum(1 for lines in lines_by_test.values() if lines)} run some line of the policy)",
        flush=True,
    )
    chosen = [m for m in mutants() if not selected or m.number in selected]
    started = time.perf_counter()
    free: queue.Queue[int] = queue.Queue()
    for index in range(workers):
        free.put(index)

    def judge(mutant: Mutant) -> tuple[Mutant, int, str | None]:
        tests = _tests_for(mutant, lines_by_test, every)
        if not tests or mutant.key in EQUIVALENT:
            return mutant, 0, None
        slot = free.get()
        try:
            return mutant, len(tests), _outcome(mutant, tests, folders[slot], envs[slot], timeout)
        finally:
            free.put(slot)

    killed, survived, equivalent, timed_out = 0, [], [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for mutant, ran, failing in pool.map(judge, chosen):
            if mutant.key in EQUIVALENT:
                equivalent.append(mutant)
                status = "equivalent: " + EQUIVALENT[mutant.key]
            elif failing == TIMED_OUT:
                # Too slow to tell (a loaded machine, or a mutant that hangs): no verdict.
                timed_out.append(mutant)
                status = f"NO RESULT within {timeout} s"
            elif failing is not None:
                killed += 1
                status = f"killed by {failing}"
            else:
                survived.append(mutant)
                status = "SURVIVED" if ran else "SURVIVED (no test runs this line)"
            print(
                f"#{mutant.number:>3} {mutant.description:<48} {ran:>4} tests  {status}", flush=True
            )
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    total = killed + len(survived) + len(equivalent) + len(timed_out)
    print(
        f"\n{total} mutants of {TARGET}: {killed} killed, {len(equivalent)} equivalent, "
        f"{len(survived)} survived, {len(timed_out)} without result, "
        f"in {time.perf_counter() - started:.0f} s with {workers} workers"
    )
    for mutant in survived:
        print(f"  survived #{mutant.number}: {mutant.description}")
    for mutant in timed_out:
        print(f"  no result #{mutant.number}: {mutant.description} (run it again: --only)")
    return 1 if survived or timed_out else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--record-lines", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only", type=int, nargs="*", help="numbers of mutants to run")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per mutant")
    parser.add_argument("--workers", type=int, default=2, help="mutants tested at once")
    parser.add_argument(
        "--lines", help="only mutants on these lines of the policy, e.g. 69-285 (a part at a time)"
    )
    args = parser.parse_args()
    if args.record_lines:
        return record_lines(args.record_lines)
    selected = args.only
    if args.lines:
        first, _, last = args.lines.partition("-")
        selected = [m.number for m in mutants() if int(first) <= m.line <= int(last or first)]
    if args.list:
        for mutant in mutants():
            if not selected or mutant.number in selected:
                print(f"#{mutant.number:>3} {mutant.description}")
        return 0
    return run(selected, args.timeout, args.workers)


if __name__ == "__main__":
    sys.exit(main())
