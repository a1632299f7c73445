import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from localpower.core.models import AuditEntry
from localpower.places import selectors
from localpower.places.importers.names import NamesFileError, read_names
from localpower.places.importers.onspd import ImportFailed, import_postcodes
from localpower.places.models import Area, AreaKind, BoundarySet, Postcode

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SMALL = DATA / "onspd_small.csv"
CORRUPT = DATA / "onspd_corrupt.csv"
NAMES = DATA / "area_names.csv"
ONSPD_SAMPLE = Path("/work/shared/data/geography/onspd_sample.csv")
AUTHORITIES = Path("/work/shared/data/geography/uk_local_authorities_current.csv")
DAY = datetime.date(2024, 5, 2)


def snapshot():
    return (
        sorted(Area.objects.values_list("gss_code", "name", "parent__gss_code")),
        sorted(Postcode.objects.values_list("postcode", "introduced", "terminated", "latitude")),
        sorted(Postcode.areas.through.objects.values_list("postcode__postcode", "area__gss_code")),
        BoundarySet.objects.count(),
    )


def test_small_file_creates_postcodes_areas_and_links():
    result = import_postcodes(SMALL, valid_from=DAY, names=read_names(NAMES))

    assert result.rows_read == 7
    assert (
        result.postcodes_in_file == 5
    )  # the repeated TB3 1AA row and Jersey's no-area postcode are left out
    assert result.duplicates == 1
    assert result.skipped_no_area == 1
    assert result.areas_created == 6
    assert result.areas_needing_names == 0
    assert [a.name for a in selectors.areas_for_postcode("tb11aa", on=DAY)] == [
        "Testshire District Council",
        "Abbey",
        "Abbeyfield",
    ]
    # E43 is the ONS code for "no parish council here": not an area.
    assert [a.name for a in selectors.areas_for_postcode("TB1 1AB", on=DAY)] == [
        "Testshire District Council",
        "Abbey",
    ]
    ward = Area.objects.get(gss_code="E05900001")
    assert ward.kind == AreaKind.WARD
    assert ward.valid_from == DAY
    assert ward.boundary_set.name == "Postcodes from onspd_small.csv"
    assert not Area.objects.filter(gss_code__endswith="99999999").exists()
    ended = Postcode.objects.get(postcode="TB1 2AA")
    assert ended.introduced == datetime.date(1996, 6, 1)
    assert ended.terminated == datetime.date(2015, 12, 1)
    assert ended.latitude == Decimal("52.200000")
    no_location = Postcode.objects.get(postcode="TB3 1AA")
    assert no_location.latitude is None and no_location.longitude is None


def test_areas_without_names_are_named_by_code_and_marked_then_renamed_by_a_later_import():
    import_postcodes(SMALL, valid_from=DAY)
    ward = Area.objects.get(gss_code="E05900001")
    assert ward.name == "E05900001"
    assert ward.slug == "e05900001"
    assert ward.needs_name

    result = import_postcodes(SMALL, names=read_names(DATA / "ons_ward_names.csv"))

    ward.refresh_from_db()
    assert ward.name == "Abbey" and not ward.needs_name
    assert result.areas_renamed == 3  # two wards and the district named in the ONS file
    assert result.areas_created == 0


def test_importing_the_same_file_twice_changes_nothing():
    import_postcodes(SMALL, valid_from=DAY, names=read_names(NAMES))
    before = snapshot()

    again = import_postcodes(SMALL, names=read_names(NAMES))

    assert snapshot() == before
    assert not again.changed
    assert (again.postcodes_created, again.areas_created, again.links_added, again.links_removed) == (
        0,
        0,
        0,
        0,
    )


def test_corrupt_file_is_refused_with_row_numbered_errors_and_nothing_changes():
    import_postcodes(SMALL, valid_from=DAY)
    before = snapshot()
    audits = AuditEntry.objects.count()

    with pytest.raises(ImportFailed) as caught:
        import_postcodes(CORRUPT, boundary_set="Another set", valid_from=DAY)

    messages = [str(e) for e in caught.value.errors]
    assert messages == [
        "row 3, column pcds: malformed postcode 'NOT A CODE'",
        "row 4, column dointr: bad date '1996-13' (expected YYYYMM, like 202305)",
        "row 5, column osward: bad GSS code 'W5' (a capital letter and 8 digits, like E05013806)",
        "row 6: has 9 values but the header has 13 columns",
    ]
    assert snapshot() == before
    assert AuditEntry.objects.count() == audits


def test_checking_stops_after_the_error_limit():
    lines = ["pcds,oslaua"] + [f"BAD{n},E07000901" for n in range(50)]
    with pytest.raises(ImportFailed) as caught:
        import_postcodes(lines, max_errors=5)
    assert len(caught.value.errors) == 5
    assert caught.value.stopped_early
    assert Postcode.objects.count() == 0


def test_missing_columns_are_named():
    with pytest.raises(ImportFailed) as caught:
        import_postcodes(["postcode,ward", "TB1 1AA,E05900001"])
    assert "missing column" in str(caught.value.errors[0])
    assert "pcds" in str(caught.value.errors[0])


def test_same_postcode_with_different_areas_is_an_error():
    lines = ["pcds,oslaua,osward", "TB1 1AA,E07000901,E05900001", "TB1 1AA,E07000901,E05900002"]
    with pytest.raises(ImportFailed) as caught:
        import_postcodes(lines)
    assert (
        str(caught.value.errors[0]) == "row 3, column pcds: TB1 1AA is also on row 2 with different details"
    )


def test_a_ward_in_two_authorities_is_an_error():
    lines = ["pcds,oslaua,osward", "TB1 1AA,E07000901,E05900001", "TB1 1AB,E07000902,E05900001"]
    with pytest.raises(ImportFailed) as caught:
        import_postcodes(lines)
    assert "E05900001 is in E07000902 here but in E07000901 on row 2" in str(caught.value.errors[0])


def test_authority_filter_keeps_only_that_authority():
    result = import_postcodes(SMALL, valid_from=DAY, authorities=["e07000902"])
    assert result.postcodes_in_file == 1
    assert result.skipped_other_authority == 5
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["TB3 1AA"]


def test_a_new_boundary_set_ends_the_wards_it_replaces_and_keeps_them_for_dated_lookups():
    import_postcodes(SMALL, boundary_set="2003 wards", valid_from=datetime.date(2003, 5, 1))
    lines = ["pcds,oslaua,osward", "TB1 1AA,E07000901,E05900009", "TB1 1AB,E07000901,E05900009"]

    result = import_postcodes(lines, boundary_set="2024 wards", valid_from=DAY)

    assert (
        result.areas_ended == 3
    )  # both wards and the parish in E07000901; Riverside (E07000902) is untouched
    old = Area.objects.get(gss_code="E05900001")
    assert old.valid_to == datetime.date(2024, 5, 1)
    assert Area.objects.get(gss_code="E05900003").valid_to is None
    assert Area.objects.get(gss_code="E07000901").valid_to is None
    assert [a.gss_code for a in selectors.areas_for_postcode("TB1 1AA", on=datetime.date(2010, 1, 1))] == [
        "E07000901",
        "E05900001",
        "E04900001",
    ]
    assert [a.gss_code for a in selectors.areas_for_postcode("TB1 1AA", on=DAY)] == ["E07000901", "E05900009"]
    assert not import_postcodes(lines, boundary_set="2024 wards").changed


def test_a_corrected_file_moves_a_postcode_between_wards_of_the_same_set():
    import_postcodes(SMALL, valid_from=DAY)
    fixed = SMALL.read_text().replace(
        "TB2 1AA,200303,,E99999999,E99999999,E07000901,E05900002",
        "TB2 1AA,200303,,E99999999,E99999999,E07000901,E05900001",
    )

    result = import_postcodes(fixed.splitlines(), boundary_set="Postcodes from onspd_small.csv")

    assert (result.links_added, result.links_removed, result.areas_ended) == (1, 1, 0)
    assert [a.gss_code for a in selectors.areas_for_postcode("TB2 1AA", on=DAY)] == ["E07000901", "E05900001"]


def test_existing_boundary_set_with_another_date_is_refused():
    import_postcodes(SMALL, boundary_set="2024 wards", valid_from=DAY)
    with pytest.raises(ImportFailed, match="starts on 02 May 2024"):
        import_postcodes(SMALL, boundary_set="2024 wards", valid_from=datetime.date(2025, 1, 1))


def test_import_is_recorded_in_the_audit_log():
    import_postcodes(SMALL, valid_from=DAY)
    entry = AuditEntry.objects.get(action="places.postcodes_imported")
    assert entry.summary.startswith("Imported 5 postcodes from onspd_small.csv")
    assert entry.changes["postcodes_created"] == 5
    assert entry.changes["file"] == "onspd_small.csv"


def test_names_file_formats(tmp_path):
    assert read_names(NAMES)["E05900003"] == "Riverside"
    assert read_names(DATA / "ons_ward_names.csv") == {
        "E05900001": "Abbey",
        "E05900002": "Castle",
        "E07000901": "Testshire",
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(NamesFileError, match="needs columns"):
        read_names(bad)


def test_command_reports_figures(capsys):
    call_command("import_postcodes", str(SMALL), "--valid-from", "2024-05-02", "--names", str(NAMES))
    out = capsys.readouterr().out
    assert "Imported onspd_small.csv" in out
    assert "postcodes in the file: 5 (5 new, 0 updated)" in out
    call_command("import_postcodes", str(SMALL), "--names", str(NAMES))
    assert "nothing changed" in capsys.readouterr().out


def test_command_records_who_ran_the_import(django_user_model):
    django_user_model.objects.create_user("officer@example.org", "a-long-password-1")
    call_command("import_postcodes", str(SMALL), "--by", "Officer@example.org", verbosity=0)
    assert AuditEntry.objects.get(action="places.postcodes_imported").actor_label == "officer@example.org"
    with pytest.raises(CommandError, match="There is no account"):
        call_command("import_postcodes", str(SMALL), "--by", "nobody@example.org")


def test_command_lists_problems_and_imports_nothing():
    with pytest.raises(CommandError) as caught:
        call_command("import_postcodes", str(CORRUPT))
    message = str(caught.value)
    assert message.startswith("Nothing was imported: onspd_corrupt.csv has problems.")
    assert "row 3, column pcds: malformed postcode 'NOT A CODE'" in message
    assert Postcode.objects.count() == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["/no/such/file.csv"], "There is no file"),
        ([str(SMALL), "--valid-from", "May 2024"], "--valid-from must be a date"),
        ([str(SMALL), "--names", "/no/such/names.csv"], "There is no names file"),
    ],
)
def test_command_explains_bad_arguments(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_postcodes", *arguments)


@pytest.mark.skipif(not ONSPD_SAMPLE.exists(), reason="the real ONSPD sample is not on this machine")
def test_real_onspd_sample():
    result = import_postcodes(ONSPD_SAMPLE, valid_from=DAY, names=read_names(AUTHORITIES))

    assert result.rows_read == 8048
    assert result.postcodes_in_file == 8046
    assert result.skipped_no_area == 2  # Jersey's JE2 4WD and a postcode with no codes at all
    assert result.areas_created == 23  # 4 local authorities, 19 wards; E43 "no parish" codes are not areas
    assert Area.objects.filter(kind=AreaKind.DISTRICT).count() == 4
    assert Area.objects.get(gss_code="S12000033").name == "Aberdeen City Council"
    assert Postcode.objects.exclude(terminated=None).count() == 3810
    assert [a.gss_code for a in selectors.areas_for_postcode("AB10 6SJ", on=DAY)][0] == "S12000033"
    assert [a.name for a in selectors.areas_for_postcode("M1 1AD", on=DAY)][0] == "Manchester City Council"
    assert not import_postcodes(ONSPD_SAMPLE, names=read_names(AUTHORITIES)).changed


def test_a_failure_while_writing_rolls_everything_back():
    district = Area.objects.create(
        name="Testshire", slug="testshire", kind=AreaKind.DISTRICT, gss_code="E07000901"
    )
    Area.objects.create(
        name="Castle", slug="castle", kind=AreaKind.PARISH, gss_code="E05900002", parent=district
    )
    before = snapshot()

    with pytest.raises(ImportFailed) as caught:
        import_postcodes(SMALL, valid_from=DAY)

    assert "E05900002 is a ward in this file but Castle (parish or town council) in the database" in str(
        caught.value.errors[0]
    )
    assert snapshot() == before
    assert not BoundarySet.objects.exists()


def test_progress_is_reported_while_checking_and_writing():
    calls = []
    import_postcodes(SMALL, valid_from=DAY, progress_every=2, progress=lambda *args: calls.append(args))
    assert calls == [("checked", 2, None), ("checked", 4, None), ("checked", 6, None), ("written", 5, 5)]


def test_command_shows_progress_on_stderr(capsys):
    call_command("import_postcodes", str(SMALL), "--valid-from", "2024-05-02")
    assert "Written 5 of 5 postcodes (100%)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file: the file is empty"),
        (b"pcds,oslaua\nTB1 1AA,E07000901\n" + b"TB1 1AB,\xff\xfe\n" * 5000, "the file is not UTF-8 text"),
        (b"pcds,oslaua\r\nTB1 1AA,E07000901\r\nTB1 1AB,E07\x0000901\r\n", "row 3"),
    ],
)
def test_unreadable_files_are_refused_with_a_plain_message(tmp_path, content, message):
    path = tmp_path / "postcodes.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as caught:
        import_postcodes(path)
    assert message in str(caught.value.errors[0])
    assert not Postcode.objects.exists()


def test_a_file_with_a_byte_order_mark_and_windows_line_endings_imports(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_bytes("\ufeffpcds,oslaua,osward\r\nTB1 1AA,E07000901,E05900001\r\n".encode())
    assert import_postcodes(path).postcodes_created == 1
