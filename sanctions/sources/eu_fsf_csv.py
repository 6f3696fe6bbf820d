"""EU Financial Sanctions Files 1.1, CSV variant (semicolon-separated, UTF-8).

One row per fact: each row repeats the ``Entity_*`` columns of its designation and fills
at most one of the ``NameAlias_*``, ``BirthDate_*``, ``Citizenship_*``,
``Identification_*`` or ``Address_*`` column groups. Rows of one designation are
consecutive and share ``Entity_LogicalId``; the parser streams one group at a time and
reports (then skips) rows of a designation that already ended. ``fileGenerationDate``
(``dd/mm/yyyy``) is on every row.

The CSV columns are mapped onto the XML attribute names so that both formats share
:class:`sanctions.sources.eu_fsf.EntityBuilder`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator

from sanctions.errors import SourceFormatError
from sanctions.model import Entity, Record
from sanctions.sources.base import ParseContext
from sanctions.sources.eu_fsf import EntityBuilder, iso_date

ID_COLUMN = "Entity_LogicalId"
REQUIRED = (ID_COLUMN, "NameAlias_WholeName")
SUBJECT_COLUMNS = ("Entity_SubjectType", "Entity_SubjectType_ClassificationCode")

# CSV column -> XML attribute, per column group. Columns not listed are not used.
ENTITY = {
    "Entity_EU_ReferenceNumber": "euReferenceNumber",
    "Entity_UnitedNationId": "unitedNationId",
    "Entity_DesignationDate": "designationDate",
    "Entity_DesignationDetails": "designationDetails",
}
SUBJECT = {"Entity_SubjectType": "code", "Entity_SubjectType_ClassificationCode": "classificationCode"}
REGULATION = {
    "Entity_Regulation_Programme": "programme",
    "Entity_Regulation_PublicationDate": "publicationDate",
}
NAME = {
    "NameAlias_WholeName": "wholeName",
    "NameAlias_FirstName": "firstName",
    "NameAlias_MiddleName": "middleName",
    "NameAlias_LastName": "lastName",
    "NameAlias_NameLanguage": "nameLanguage",
    "NameAlias_Gender": "gender",
    "NameAlias_Title": "title",
    "NameAlias_Function": "function",
}
BIRTH = {
    "BirthDate_BirthDate": "birthdate",
    "BirthDate_Day": "dayOfMonth",
    "BirthDate_Month": "monthOfYear",
    "BirthDate_Year": "year",
    "BirthDate_YearRangeFrom": "yearRangeFrom",
    "BirthDate_YearRangeTo": "yearRangeTo",
    "BirthDate_Circa": "circa",
    "BirthDate_Place": "place",
    "BirthDate_City": "city",
    "BirthDate_Region": "region",
    "BirthDate_CountryIso2Code": "countryIso2Code",
    "BirthDate_CountryDescription": "countryDescription",
}
CITIZENSHIP = {"Citizenship_CountryIso2Code": "countryIso2Code"}
IDENTIFICATION = {
    "Identification_Number": "number",
    "Identification_LatinNumber": "latinNumber",
    "Identification_TypeCode": "identificationTypeCode",
    "Identification_TypeDescription": "identificationTypeDescription",
    "Identification_CountryIso2Code": "countryIso2Code",
}
ADDRESS = {
    "Address_Street": "street",
    "Address_PoBox": "poBox",
    "Address_City": "city",
    "Address_ZipCode": "zipCode",
    "Address_Region": "region",
    "Address_Place": "place",
    "Address_CountryIso2Code": "countryIso2Code",
    "Address_CountryDescription": "countryDescription",
}


def _attrs(row: dict[str, str | None], columns: dict[str, str]) -> dict[str, str]:
    return {attr: value for col, attr in columns.items() if (value := (row.get(col) or "").strip())}


class _Group:
    """The rows of one designation, folded into an EntityBuilder fact by fact."""

    def __init__(self, ctx: ParseContext, source_id: str, line: int) -> None:
        self.builder = EntityBuilder(ctx, source_id, line)
        self.seen: set[tuple[str, str]] = set()
        self.has_subject = False

    def _once(self, group: str, row: dict[str, str | None]) -> bool:
        # A fact's own LogicalId says whether an earlier row already carried it.
        logical_id = (row.get(f"{group}_LogicalId") or "").strip()
        if not logical_id:
            return True
        key = (group, logical_id)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def add(self, row: dict[str, str | None]) -> None:
        builder = self.builder
        builder.set_entity(_attrs(row, ENTITY))
        subject = _attrs(row, SUBJECT)
        if subject and not self.has_subject:
            self.has_subject = True
            builder.set_subject_type(subject)
        builder.add_remark(row.get("Entity_Remark"))
        builder.add_regulation(_attrs(row, REGULATION))
        facts: tuple[tuple[str, dict[str, str], Callable[[dict[str, str]], None]], ...] = (
            ("NameAlias", _attrs(row, NAME), builder.add_name),
            ("BirthDate", _attrs(row, BIRTH), builder.add_birthdate),
            ("Citizenship", _attrs(row, CITIZENSHIP), builder.add_citizenship),
            ("Address", _attrs(row, ADDRESS), builder.add_address),
        )
        for group, attrs, add in facts:
            if attrs and self._once(group, row):
                add(attrs)
        ident = _attrs(row, IDENTIFICATION)
        if ident and self._once("Identification", row):
            builder.add_identification(ident, row.get("Identification_Remark"))

    def finish(self) -> Entity | None:
        return self.builder.finish()


def _check_header(ctx: ParseContext, fields: list[str] | None) -> None:
    if not fields:
        raise SourceFormatError(ctx.path, "empty file: no CSV header", line=1)
    missing = [c for c in REQUIRED if c not in fields]
    if not any(c in fields for c in SUBJECT_COLUMNS):
        missing.append(SUBJECT_COLUMNS[0])
    if missing:
        names = ", ".join(missing)
        raise SourceFormatError(
            ctx.path, f"not an EU FSF CSV: missing required column(s) {names} (separator ';')", line=1
        )


def parse_csv(ctx: ParseContext) -> Iterator[Record]:
    """Stream the entities of an EU FSF 1.1 CSV file."""
    path = ctx.path
    reader: csv.DictReader[str] | None = None
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter=";")
            _check_header(ctx, list(reader.fieldnames) if reader.fieldnames else None)
            current: _Group | None = None
            done: set[str] = set()
            for row in reader:
                line = reader.line_num
                source_id = (row.get(ID_COLUMN) or "").strip()
                if not source_id:
                    ctx.warn(f"row without {ID_COLUMN} skipped", line=line)
                    continue
                if ctx.published is None:
                    ctx.published = iso_date(row.get("fileGenerationDate"))
                if current is None or current.builder.entity.source_id != source_id:
                    if current is not None:
                        done.add(current.builder.entity.source_id)
                        entity = current.finish()
                        if entity is not None:
                            yield entity
                    current = None
                    if source_id in done:
                        ctx.warn(
                            "row of an entity whose rows ended earlier skipped", line=line, record=source_id
                        )
                        continue
                    current = _Group(ctx, source_id, line)
                current.add(row)
            if current is not None:
                entity = current.finish()
                if entity is not None:
                    yield entity
    except UnicodeDecodeError as exc:
        at = reader.line_num + 1 if reader is not None else None
        raise SourceFormatError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", line=at) from exc
    except csv.Error as exc:
        raise SourceFormatError(path, f"broken CSV: {exc}", line=reader.line_num if reader else None) from exc
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read file: {exc}") from exc
