import pytest

from teilhabe.reports.disclosure import is_small


@pytest.mark.parametrize(("count", "small"), [(0, False), (1, True), (4, True), (5, False)])
def test_counts_from_one_to_four_are_small_and_zero_is_not(count: int, small: bool) -> None:
    assert is_small(count) is small
