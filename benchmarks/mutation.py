"""Mutation testing of the access policy: does some test fail for every change of behaviour?

    uv run python benchmarks/mutation.py                 # every mutant, the policy tests
    uv run python benchmarks/mutation.py --list          # only list the mutants
    uv run python benchmarks/mutation.py --only 12 40    # re-run some mutants

Each mutant is one small change of ``src/teilhabe/accounts/policy.py`` — ``and`` for ``or``,
``|`` for ``&``, a dropped filter term or keyword, a dropped role, ``<=`` for ``<``, a negated
condition, a flipped constant. The project is copied to a temporary folder, the mutant is
written there and the policy tests run against it (the working tree is never touched). A
mutant is *killed* when a test fails. A surviving mutant is a hole in the tests — unless it
is listed in ``EQUIVALENT`` below with the reason why it cannot change behaviour.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = Path("src/teilhabe/accounts/policy.py")
TESTS = [
    "tests/accounts",
    "tests/participants",
    "tests/cases",
    "tests/privacy",
    "tests/audit/test_pages.py",
    "tests/test_review_findings.py",
    "tests/test_architecture.py",
]
# Mutants that cannot change what anyone may see or do, keyed by their description.
EQUIVALENT: dict[str, str] = {
    # active_memberships: "not user.is_authenticated or not user.is_active" — an anonymous
    # visitor is never active, so the first test adds nothing the second does not say.
    "line 74: drop operand 1 of 2": "AnonymousUser.is_active is always False",
}


@dataclass(frozen=True)
class Mutant:
    number: int
    line: int
    description: str
    source: str


class _Collector(ast.NodeVisitor):
    """Finds every place a mutation applies, in a fixed order (so numbers are stable)."""

    def __init__(self) -> None:
        self.sites: list[tuple[ast.AST, str, str]] = []

    def add(self, node: ast.AST, kind: str, detail: str) -> None:
        self.sites.append((node, kind, detail))

    # Annotations are not run (``from __future__ import annotations``): no mutant there.
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for child in (*node.decorator_list, node.args, *node.body):
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
        if node.value is not None and not isinstance(node.value, ast.Constant):
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
    tree = ast.parse(source)
    docstrings = _is_docstring_or_text(tree)
    collector = _Collector()
    collector.visit(tree)
    order = {id(node): index for index, node in enumerate(ast.walk(tree))}
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
        yield Mutant(number, line, f"line {line}: {detail}", text)
    del order


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


def _outcome(mutant: Mutant, folder: Path, env: dict[str, str], timeout: int) -> bool:
    """True when some test fails (or hangs) with this mutant in place."""
    (folder / TARGET).write_text(mutant.source)
    try:
        result = subprocess.run(
            _COMMAND, cwd=folder, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return True
    return result.returncode != 0


# Tables straight from the models: migrations would cost seconds per mutant and the policy's
# tests need none of their data. The policy's own tests come first: -x stops at the first
# failure, and they fail first.
_COMMAND = [
    sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--nomigrations",
    "tests/accounts/test_policy.py", *TESTS,
]  # fmt: skip


def run(selected: list[int] | None, timeout: int, workers: int) -> int:
    folders = [_project_copy() for _ in range(workers)]
    envs = [
        {**os.environ, "TEILHABE_VAR_DIR": str(folder / "var"), "PYTHONDONTWRITEBYTECODE": "1"}
        for folder in folders
    ]
    for env in envs:
        env.pop("DATABASE_URL", None)
    baseline = subprocess.run(_COMMAND, cwd=folders[0], env=envs[0], capture_output=True, text=True)
    if baseline.returncode != 0:
        print(baseline.stdout[-3000:])
        print("The tests fail without any mutation; fix that first.")
        return 2
    chosen = [m for m in mutants() if not selected or m.number in selected]
    started = time.perf_counter()
    free: queue.Queue[int] = queue.Queue()
    for index in range(workers):
        free.put(index)

    def judge(mutant: Mutant) -> tuple[Mutant, bool]:
        slot = free.get()
        try:
            return mutant, _outcome(mutant, folders[slot], envs[slot], timeout)
        finally:
            free.put(slot)

    killed, survived, equivalent = 0, [], []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for mutant, dead in pool.map(judge, chosen):
            if dead:
                killed += 1
                status = "killed"
            elif mutant.description in EQUIVALENT:
                equivalent.append(mutant)
                status = "equivalent: " + EQUIVALENT[mutant.description]
            else:
                survived.append(mutant)
                status = "SURVIVED"
            print(f"#{mutant.number:>3} {mutant.description:<60} {status}", flush=True)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    total = killed + len(survived) + len(equivalent)
    print(
        f"\n{total} mutants of {TARGET}: {killed} killed, {len(equivalent)} equivalent, "
        f"{len(survived)} survived, in {time.perf_counter() - started:.0f} s with {workers} workers"
    )
    for mutant in survived:
        print(f"  survived #{mutant.number}: {mutant.description}")
    return 1 if survived else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--only", type=int, nargs="*", help="numbers of mutants to run")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per mutant")
    parser.add_argument("--workers", type=int, default=2, help="mutants tested at once")
    parser.add_argument(
        "--lines", help="only mutants on these lines of the policy, e.g. 69-285 (a part at a time)"
    )
    args = parser.parse_args()
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
