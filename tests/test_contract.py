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
        item.name for item in contract.public_api() if item.params and item.name not in covered
    ]
    assert not missing, (
        f"{len(missing)} public callables without a contract example:\n" + "\n".join(missing)
    )


def _time_per_target(results) -> dict[str, tuple[int, float]]:
    spent: dict[str, list] = {}
    for r in results:
        entry = spent.setdefault(r.call.example.target, [0, 0.0])
        entry[0] += 1
        entry[1] += r.seconds
    return {target: (calls, total) for target, (calls, total) in spent.items()}


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
        "generated_calls": len(results),
        "bad_calls": len(results) - counts["accepted"],
        "by_source": dict(Counter(r.call.source for r in results)),
        "outcomes": counts,
        "seconds": round(seconds, 2),
        # Where the time goes (a bad call should be rejected in well under 5 ms).
        "slowest_examples": [
            {"target": target, "calls": calls, "seconds": round(spent, 3)}
            for target, (calls, spent) in sorted(
                _time_per_target(results).items(), key=lambda kv: -kv[1][1]
            )[:15]
        ],
        "failures": [
            {"call": str(r.call), "outcome": r.outcome, "detail": r.detail}
            for r in results
            if r.outcome not in ("rejected", "accepted")
        ],
    }
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1))
    bad_calls = len(results) - counts["accepted"]
    print(
        f"\ncontract: {len(results)} generated calls on {len(EXAMPLES)} examples in {seconds:.1f} s"
        f" ({bad_calls} bad, {counts['accepted']} declared valid): "
        + ", ".join(f"{counts[o]} {o}" for o in contract.OUTCOMES)
    )
    assert bad_calls >= MIN_BAD_CALLS
    bad = [r for r in results if r.outcome not in ("rejected", "accepted")]
    if bad:
        by_target = Counter(r.call.example.target for r in bad)
        lines = [f"{r.outcome}: {r.call}: {r.detail[:160]}" for r in bad[:60]]
        pytest.fail(
            f"{len(bad)} of {len(results)} bad calls not rejected properly "
            f"({', '.join(f'{counts[o]} {o}' for o in contract.OUTCOMES)}); worst callables: "
            f"{by_target.most_common(10)}\n" + "\n".join(lines)
        )
