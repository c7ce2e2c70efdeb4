import json
from datetime import UTC, datetime
from pathlib import Path

from groendraad.months import Month
from groendraad.sources.base import RawDelivery, RawPart
from groendraad.warehouse import raw

OCT = Month(2025, 10)


def delivery(content: bytes, name: str = "afval_2025-10.csv") -> RawDelivery:
    part = RawPart(name, f"/data/{name}", content, datetime(2025, 11, 2, 6, tzinfo=UTC))
    return RawDelivery("waste", OCT, (part,))


def test_delivery_is_kept_byte_for_byte_with_its_manifest(tmp_path: Path) -> None:
    content = "\ufeffDatum;Gewicht (kg)\r\n01-10-2025;1.234,5\r\n".encode()
    stored = raw.store(tmp_path, delivery(content))
    assert not stored.reused
    assert (stored.path / "afval_2025-10.csv").read_bytes() == content
    manifest = json.loads((stored.path / "manifest.json").read_text())
    assert manifest["source"] == "waste" and manifest["month"] == "2025-10"
    assert manifest["parts"][0]["location"] == "/data/afval_2025-10.csv"
    assert manifest["parts"][0]["bytes"] == len(content)
    back = raw.load(stored.path)
    assert back.parts[0].content == content and back.sha256 == stored.sha256


def test_same_bytes_are_stored_once_and_a_resend_is_kept_beside(tmp_path: Path) -> None:
    first = raw.store(tmp_path, delivery(b"a;b\r\n"))
    again = raw.store(tmp_path, delivery(b"a;b\r\n"))
    resent = raw.store(tmp_path, delivery(b"a;b;c\r\n"))
    assert again.reused and again.path == first.path
    assert not resent.reused
    assert raw.deliveries(tmp_path, "waste", OCT) == sorted([first.path, resent.path])


def test_no_temporary_directory_is_left(tmp_path: Path) -> None:
    raw.store(tmp_path, delivery(b"x"))
    leftovers = [p for p in (tmp_path / "raw").rglob(".tmp-*")]
    assert leftovers == []


def test_part_names_cannot_escape_the_delivery_folder(tmp_path: Path) -> None:
    stored = raw.store(tmp_path, delivery(b"x", name="../../etc/passwd"))
    assert {p.name for p in stored.path.iterdir()} == {"manifest.json", "_.._etc_passwd"}


def test_a_delivery_still_being_written_is_not_taken_for_a_kept_one(tmp_path: Path) -> None:
    """Another month's run writes its delivery under a temporary name (manifest still
    empty) while this month checks for a re-send: that must not crash the check."""
    part = RawPart("afval_2025-10.csv", "/share/afval_2025-10.csv", b"x;y\n", datetime.now(UTC))
    stored = raw.store(tmp_path, RawDelivery("waste", Month(2025, 10), (part,)))
    writing = stored.path.parent.parent / "month=2025-09" / ".tmp-abc"
    writing.mkdir(parents=True)
    (writing / raw.MANIFEST).write_text("", encoding="utf-8")
    assert raw.kept_earlier_elsewhere(tmp_path, stored.path) is None
