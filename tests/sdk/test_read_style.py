"""One style for reads across the SDK's handles (issue 12, what a new user tripped on): a
single value without arguments is a property; a list, a composite of several reads, or a
read with arguments is a method."""

from __future__ import annotations

import inspect

import pytest
from panarchy.charter import Charter
from panarchy.charter.roles import RoleBook
from panarchy.funds import Fund, SavingsCircle
from panarchy.treaties import Treaty, TreatyFund

SCALARS = ("int", "str", "bool", "str | None", "int | None", "datetime", "timedelta")


def _scalar_methods(cls: type) -> list[str]:
    """Public methods that take nothing and return one value (they should be properties)."""
    return [
        name
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
        and list(inspect.signature(fn).parameters) == ["self"]
        and str(inspect.signature(fn).return_annotation) in SCALARS
    ]


@pytest.mark.parametrize(
    "cls", [Charter, RoleBook, Fund, SavingsCircle, Treaty, TreatyFund], ids=lambda c: c.__name__
)
def test_read_style__a_single_value_without_arguments_is_a_property(cls: type) -> None:
    assert _scalar_methods(cls) == [], f"{cls.__name__}: make these properties"


def test_read_style__the_check_finds_a_scalar_method() -> None:
    class Handle:
        def count(self) -> int:
            return 1

        def items(self) -> list[int]:
            return [1]

        def item(self, n: int) -> int:
            return n

    assert _scalar_methods(Handle) == ["count"]
