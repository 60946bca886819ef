"""The examples in the package's docstrings run and print what they say."""

from __future__ import annotations

import doctest

import carrier_quota


def test_the_docstring_examples_hold():
    failures, tried = doctest.testmod(carrier_quota, optionflags=doctest.ELLIPSIS)
    assert tried >= 3
    assert failures == 0
