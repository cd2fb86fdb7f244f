"""Contract examples for the lessons' public callables (helpers/lessons/...): one valid call each.

Format: see :class:`tests.contract.Example`. ``EXAMPLES`` is read by tests/test_contract.py.
"""

from tests.contract import Example

EXAMPLES: list[Example] = []
