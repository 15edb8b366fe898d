import datetime as dt

import pytest

from teilhabe.reports.selectors import ReachFigures, suppress_small


@pytest.mark.parametrize(("count", "published"), [(0, 0), (1, None), (4, None), (5, 5), (508, 508)])
def test_counts_from_one_to_four_leave_the_city_only_as_fewer_than_five(
    count: int, published: int | None
) -> None:
    assert suppress_small(count) == published


def test_published_figures_keep_the_date_and_suppress_each_count() -> None:
    figures = ReachFigures(as_of=dt.date(2022, 3, 17), persons_reached=300, persons_with_success=3)
    assert figures.for_publication() == ReachFigures(
        as_of=dt.date(2022, 3, 17), persons_reached=300, persons_with_success=None
    )
