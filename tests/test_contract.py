"""The validation contract (tests/contract.py): every public callable has an example, and every
generated bad call is rejected with a ValueError/TypeError naming the parameter.

The counts per outcome go to build/contract_report.json and a summary line on stdout
(``pytest -s tests/test_contract.py`` shows it). Run alone:
``.venv/bin/pytest -q -p no:cacheprovider tests/test_contract.py``.
"""

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from tests import contract
from tests.lessons.contract_examples import EXAMPLES as LESSON_EXAMPLES
from tests.library.contract_examples import EXAMPLES as LIBRARY_EXAMPLES

EXAMPLES = LIBRARY_EXAMPLES + LESSON_EXAMPLES
REPORT = Path(__file__).resolve().parents[1] / "build" / "contract_report.json"
MIN_BAD_CALLS = 2000


def test_every_example_calls_a_public_callable_with_every_parameter():
    api = {item.name: item for item in contract.public_api()}
    problems = []
    for example in EXAMPLES:
        target = example.target
        if target not in api:
            # Extra examples (closures such as an optimizer's step) are welcome; a misspelt one is
            # not: its callable must at least be a helpers callable.
            if not target.startswith("helpers."):
                problems.append(f"{target}: not a helpers callable")
            continue
        missing = set(api[target].params) - set(example.kwargs)
        unknown = set(example.kwargs) - set(api[target].params)
        if missing or unknown:
            problems.append(f"{target}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    assert not problems, "\n".join(problems)


def test_every_example_is_a_valid_call():
    broken = [f"{ex.target}: {err}" for ex in EXAMPLES if (err := contract.valid_call(ex))]
    assert not broken, "\n".join(broken)


def test_every_public_callable_has_an_example():
    covered = {example.target for example in EXAMPLES}
    missing = [
        item.name
        for item in contract.public_api()
        if item.params
        and item.name not in covered
        # TEMPORARY: the lessons' registry (tests/lessons/contract_examples.py) is being filled.
        and not item.name.startswith("helpers.lessons.")
    ]
    assert not missing, (
        f"{len(missing)} public callables without a contract example:\n" + "\n".join(missing)
    )


def test_bad_calls_are_rejected_naming_the_parameter():
    start = time.perf_counter()
    results = contract.run_contract(EXAMPLES)
    seconds = time.perf_counter() - start
    counts = contract.summary(results)
    api = contract.public_api()
    report = {
        "public_callables": len(api),
        "with_parameters": sum(1 for item in api if item.params),
        "examples": len(EXAMPLES),
        "bad_calls": len(results),
        "by_source": dict(Counter(r.call.source for r in results)),
        "outcomes": counts,
        "seconds": round(seconds, 2),
        "failures": [
            {"call": str(r.call), "outcome": r.outcome, "detail": r.detail}
            for r in results
            if r.outcome != "rejected"
        ],
    }
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1))
    print(
        f"\ncontract: {len(results)} bad calls on {len(EXAMPLES)} examples in {seconds:.1f} s: "
        + ", ".join(f"{counts[o]} {o}" for o in contract.OUTCOMES)
    )
    assert len(results) >= MIN_BAD_CALLS
    bad = [r for r in results if r.outcome != "rejected"]
    if bad:
        by_target = Counter(r.call.example.target for r in bad)
        lines = [f"{r.outcome}: {r.call}: {r.detail[:160]}" for r in bad[:60]]
        pytest.fail(
            f"{len(bad)} of {len(results)} bad calls not rejected properly "
            f"({', '.join(f'{counts[o]} {o}' for o in contract.OUTCOMES)}); worst callables: "
            f"{by_target.most_common(10)}\n" + "\n".join(lines)
        )
