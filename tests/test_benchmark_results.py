"""The benchmark rewrites only its own sections of benchmarks/RESULTS.md."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


PREVIOUS = """# Benchmark results

Measured on 2026-11-25.

## Generator

- 3,028,843 rows in 146.1 s

## Selectors (median wall time, warm)

| what | ms | result |

## Rows per table

| table | rows |

## Notes

- Written by hand.

```sh
## not a heading inside a code block
```

## Mutation testing of the access policy (issue 5)

Run on 2026-11-26.
"""

GENERATED = """# Benchmark results

Measured on 2026-11-27.

## Generator

- new rows

## Selectors (median wall time, warm, beside the raw-SQL floor)

| what | ms | raw SQL ms |

## Access policy (median wall time, warm, beside the raw-SQL floor)

| what | ms | raw SQL ms |

## Rows per table

| table | rows |
"""


def test_the_sections_it_does_not_write_survive_in_their_order() -> None:
    run = _run_module()

    merged = run.merge_results(PREVIOUS, GENERATED)

    assert merged.startswith(GENERATED)
    assert "2026-11-25" not in merged
    assert "146.1 s" not in merged
    assert "| what | ms | result |" not in merged
    rest = merged[len(GENERATED) :]
    assert rest.index("## Notes") < rest.index("## Mutation testing of the access policy")
    assert "## not a heading inside a code block" in rest
    assert rest.rstrip().endswith("Run on 2026-11-26.")


def test_without_a_generator_run_the_old_generator_section_is_kept() -> None:
    run = _run_module()
    generated = GENERATED.replace("## Generator\n\n- new rows\n\n", "")

    merged = run.merge_results(PREVIOUS, generated, owned=("Selectors", "Access policy", "Rows"))

    assert "146.1 s" in merged
    assert "## Notes" in merged


def test_a_first_run_writes_only_its_own_sections() -> None:
    run = _run_module()

    assert run.merge_results("", GENERATED) == GENERATED
