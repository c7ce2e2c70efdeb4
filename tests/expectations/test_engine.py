"""The GX engine: an expectation's configuration is built once per run, and only then."""

from __future__ import annotations

import polars as pl

from groendraad.expectations import engine
from groendraad.expectations.suite import ExpectationSpec


def spec(check: str, expect: str, **kwargs) -> tuple[ExpectationSpec, dict]:
    return ExpectationSpec(check, "t", "blocking", "", expect, kwargs), kwargs


def test_configuration_is_kept_only_during_a_run():
    gx_engine = engine.engine()
    expectation = gx_engine.expectation(
        *spec("t.in_set", "expect_column_values_to_be_in_set", column="a", value_set=["x"])
    )
    assert expectation.configuration is not expectation.configuration  # GX as shipped
    engine._kept = {}
    try:
        assert expectation.configuration is expectation.configuration
    finally:
        engine._kept = None
    assert expectation.configuration is not expectation.configuration


def test_results_with_kept_configurations_locate_failures():
    frame = pl.DataFrame({"line": [1, 2, 3, 4], "code": ["a", "b", "zz", None]})
    found = engine.run(
        frame,
        [
            spec(
                "t.known", "expect_column_values_to_be_in_set", column="code", value_set=["a", "b"]
            ),
            spec("t.present", "expect_column_values_to_not_be_null", column="code"),
            spec("t.max", "expect_column_max_to_be_between", column="line", max_value=3),
        ],
        locate=["line"],
        redact=[],
        noun="lines",
    )
    assert found["t.known"].observed_value == "1 of 3 lines; 1 not checked (without a value)"
    assert found["t.known"].unexpected_sample == ("line=3, code='zz'",)
    assert not found["t.present"].success and found["t.present"].rows_affected == 1
    assert not found["t.max"].success and found["t.max"].observed_value == "observed 4"
    assert engine._kept is None


def test_an_identical_small_frame_gets_the_findings_gx_gave_before(monkeypatch):
    gx_engine = engine.engine()
    calls = []
    validate = gx_engine.validate
    monkeypatch.setattr(
        gx_engine,
        "validate",
        lambda frame, specs: calls.append(len(frame)) or validate(frame, specs),
    )
    checks = [spec("t.max", "expect_column_values_to_be_between", column="v", max_value=5)]

    def check(frame: pl.DataFrame) -> dict:
        return engine.run(frame, checks, locate=["k"], redact=[], noun="rows")

    first = check(pl.DataFrame({"k": ["a", "b"], "v": [1, 9]}))
    again = check(pl.DataFrame({"k": ["a", "b"], "v": [1, 9]}))
    assert again == first and not again["t.max"].success and calls == [2]
    changed = check(pl.DataFrame({"k": ["a", "b"], "v": [1, 4]}))
    assert changed["t.max"].success and calls == [2, 2]
    large = pl.DataFrame({"k": ["a"] * (engine.MEMO_ROWS + 1), "v": [1] * (engine.MEMO_ROWS + 1)})
    check(large)
    check(large)
    assert calls[2:] == [engine.MEMO_ROWS + 1] * 2  # too large to remember: checked each time
