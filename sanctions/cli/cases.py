"""Deciding alerts and the audit trail: `alerts queue|show|decide|approve|reject|assign|attach|
memory|expire|report` and `audit verify|export|checkpoint|purge`.

Who acts is ``--user NAME`` (or SANCTIONS_USER). Exit codes: 0 done; 2 bad input (unknown alert,
bad verdict, no user, a decision the same user would approve, a state that does not allow it);
1 ``audit verify`` found the chain broken, or another error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sanctions import Permission
from sanctions.cli.books import alerts_app
from sanctions.cli.common import (
    DataDir,
    JsonFlag,
    acting_user,
    console,
    emit_json,
    err_console,
    handle_errors,
    settings_for,
)
from sanctions.errors import InvalidInputError
from sanctions.model import REASON_CODES
from sanctions.service import Screener

audit_app = typer.Typer(help="The tamper-evident audit trail: verify it, export it, sign checkpoints.")

User = Annotated[
    str | None,
    typer.Option(
        "--user", envvar="SANCTIONS_USER", help="Who acts (default: SANCTIONS_USER).", show_default=False
    ),
]


def _screener(data_dir: Path | None) -> Screener:
    return Screener(settings_for(data_dir))


def _acting(data_dir: Path | None, user: str | None, permission: Permission) -> tuple[Screener, str]:
    """The Screener and the acting user, checked for ``permission`` (exit 2 otherwise)."""
    screener = _screener(data_dir)
    return screener, acting_user(screener, user, permission)


@alerts_app.command("queue")
@handle_errors
def queue_cmd(
    book: Annotated[str | None, typer.Option(help="Only this book.")] = None,
    state: Annotated[
        str, typer.Option(help="queue (open, review_required, needs_info), one state, or all.")
    ] = "queue",
    list_: Annotated[str | None, typer.Option("--list", help="Only alerts on this list (dataset).")] = None,
    min_score: Annotated[float | None, typer.Option(help="Only scores at least this.")] = None,
    assignee: Annotated[str | None, typer.Option(help="Only this analyst's ('' for unassigned).")] = None,
    older_than: Annotated[float | None, typer.Option(help="Raised at least this many days ago.")] = None,
    before: Annotated[int | None, typer.Option(help="The page after this cursor (the `next` shown).")] = None,
    limit: Annotated[int, typer.Option(help="Alerts on a page (1-500).")] = 50,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """The analysts' queue, newest first, one page at a time."""
    page = _screener(data_dir).alert_queue(
        book=book,
        state=state,
        dataset=list_,
        min_score=min_score,
        assignee=assignee,
        older_than_days=older_than,
        before=before,
        limit=limit,
    )
    if json:
        emit_json(page)
        return
    table = Table("id", "book", "customer", "listed party", "lists", "score", "state", "assignee", "raised")
    for a in page["alerts"]:
        table.add_row(
            str(a["id"]),
            a["book"],
            f"{a['customer']} ({a['customer_id']})",
            a["caption"],
            ", ".join(a["datasets"]),
            f"{a['score']:.2f}",
            a["state"],
            a["assignee"] or "",
            a["created_at"],
        )
    console.print(table)
    more = f"; next page: --before {page['next']}" if page["next"] else ""
    err_console.print(f"{page['total']:,} alert(s) match{more}", highlight=False)


@alerts_app.command("show")
@handle_errors
def show_cmd(alert_id: int, json: JsonFlag = False, data_dir: DataDir = None) -> None:
    """One alert's case: customer and listed party, explanation, decisions, history."""
    found = _screener(data_dir).alert_case(alert_id)
    if json:
        emit_json(found)
        return
    a, c = found["alert"], found["customer"]
    console.print(
        f"[bold]alert {a['id']}[/bold] · {a['state']} · book {a['book']} · score {a['score']:.2f} · "
        f"{', '.join(a['datasets'])}",
        highlight=False,
    )
    side = Table("customer", "listed party", show_lines=True)
    props = "\n".join(f"{k}: {', '.join(v)}" for k, v in (c.get("properties") or {}).items())
    party = "\n\n".join(
        "\n".join(
            [
                f"{r['id']} ({r['dataset']})",
                "names: " + "; ".join(n["value"] for n in r["names"][:8]),
                "born: " + ", ".join(d["value"] for d in r["birth_dates"]),
                "countries: " + ", ".join(r["nationalities"] + r["countries"]),
            ]
        )
        for r in found["party"]
    )
    side.add_row(f"{c['caption']} ({c['id']})\n{props}", party)
    console.print(side)
    if a["review"]:
        console.print("[bold yellow]changed since the decision[/bold yellow]:")
        emit_json(a["review"])
    for d in found["decisions"]:
        approval = d["approval"]
        status = (
            f"{approval['outcome']} by {approval['by']}"
            if approval
            else ("awaiting a checker" if d["needs_approval"] else "in effect")
        )
        console.print(
            f"decision {d['id']}: {d['verdict']} ({d['reason_code'] or '-'}) by {d['decided_by']} "
            f"at {d['decided_at']}: {status}; {d['note']}",
            highlight=False,
        )


def _reason(reason: str | None, note: str) -> tuple[str | None, str]:
    """``--reason``: a reason code, or free text (kept as the note, code ``other``)."""
    if reason is None or reason in REASON_CODES:
        return reason, note
    return "other", (reason + ("\n" + note if note else ""))


@alerts_app.command("decide")
@handle_errors
def decide_cmd(
    alert_id: int,
    verdict: Annotated[str, typer.Option(help="true_match, false_positive or needs_info.")],
    reason: Annotated[
        str | None,
        typer.Option(help=f"A reason code ({', '.join(REASON_CODES)}) or free text (code 'other')."),
    ] = None,
    note: Annotated[str, typer.Option(help="Free text kept with the decision.")] = "",
    review_days: Annotated[
        int | None, typer.Option(help="Re-review after this many days (default: SANCTIONS_REVIEW_DAYS).")
    ] = None,
    user: User = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Decide an alert. False positives and true matches wait for a checker (four eyes)."""
    code, text = _reason(reason, note)
    screener, actor = _acting(data_dir, user, Permission.DECIDE)
    found = screener.alert_decide(
        alert_id, verdict, actor, reason_code=code, note=text, review_days=review_days
    )
    if json:
        emit_json(found)
        return
    console.print(
        f"alert {alert_id}: decision {found['id']} ({verdict}) recorded; the alert is {found['state']}"
    )


@alerts_app.command("approve")
@handle_errors
def approve_cmd(
    alert_id: int,
    note: Annotated[str, typer.Option(help="Free text kept with the approval.")] = "",
    user: User = None,
    data_dir: DataDir = None,
) -> None:
    """Approve the decision awaiting a checker (a user other than the one who made it)."""
    _conclude(alert_id, note, user, data_dir, approve=True)


@alerts_app.command("reject")
@handle_errors
def reject_cmd(
    alert_id: int,
    note: Annotated[str, typer.Option(help="Why it goes back.")] = "",
    user: User = None,
    data_dir: DataDir = None,
) -> None:
    """Send the decision awaiting approval back to the analysts."""
    _conclude(alert_id, note, user, data_dir, approve=False)


def _conclude(alert_id: int, note: str, user: str | None, data_dir: Path | None, *, approve: bool) -> None:
    screener, actor = _acting(data_dir, user, Permission.APPROVE)
    act = screener.alert_approve if approve else screener.alert_reject
    found = act(alert_id, actor, note)
    console.print(
        f"alert {alert_id}: decision {found['decision_id']} {found['outcome']}; the alert is {found['state']}"
    )


@alerts_app.command("assign")
@handle_errors
def assign_cmd(
    alert_id: int,
    assignee: Annotated[str, typer.Argument(help="The analyst ('' to unassign).")],
    user: User = None,
    data_dir: DataDir = None,
) -> None:
    """Give an alert to an analyst."""
    screener, actor = _acting(data_dir, user, Permission.DECIDE)
    screener.alert_assign(alert_id, assignee or None, actor)
    console.print(f"alert {alert_id}: assigned to {assignee or 'nobody'}")


@alerts_app.command("attach")
@handle_errors
def attach_cmd(alert_id: int, path: Path, user: User = None, data_dir: DataDir = None) -> None:
    """Keep a document (a passport copy, a registry extract) with an alert's case."""
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file")
    import mimetypes

    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    screener, actor = _acting(data_dir, user, Permission.DECIDE)
    found = screener.alert_attach(alert_id, path.name, path.read_bytes(), actor, kind)
    console.print(
        f"alert {alert_id}: attached {found['filename']} ({found['size']:,} bytes, sha256 {found['sha256']})"
    )


@alerts_app.command("memory")
@handle_errors
def memory_cmd(
    book: Annotated[str | None, typer.Option(help="Only this book.")] = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """The approved decisions keeping alerts quiet (until either side changes, or they expire)."""
    found = _screener(data_dir).alert_memory(book)
    if json:
        emit_json(found)
        return
    table = Table("alert", "book", "customer", "verdict", "listed records", "expires")
    for m in found:
        table.add_row(
            str(m["alert_id"]),
            m["book"],
            m["customer_id"],
            m["verdict"],
            ", ".join(m["entity_ids"]),
            m["expires_at"] or "never",
        )
    console.print(table)


@alerts_app.command("expire")
@handle_errors
def expire_cmd(data_dir: DataDir = None) -> None:
    """Bring back the decided alerts whose re-review date has passed (run it daily)."""
    count = _screener(data_dir).alerts_expire()
    console.print(f"{count} alert(s) due for re-review")


@alerts_app.command("report")
@handle_errors
def report_cmd(
    alert_id: int,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (.html or .pdf).")] = None,
    data_dir: DataDir = None,
) -> None:
    """A printable case report for an examiner: HTML, or PDF when Chromium is installed."""
    screener = _screener(data_dir)
    if output is not None and output.suffix.lower() == ".pdf":
        if not screener.case_report_pdf(alert_id, output):
            raise InvalidInputError("no PDF converter (Chromium) is installed: write .html and print it")
        console.print(f"wrote {output}")
        return
    html = screener.case_report(alert_id)
    if output is None:
        sys.stdout.write(html)
        return
    output.write_text(html, encoding="utf-8")
    console.print(f"wrote {output}")


@audit_app.command("verify")
def verify_cmd(
    checkpoints: Annotated[
        Path | None, typer.Option(help="Checkpoint folder (default: the data dir's audit/checkpoints).")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="The Ed25519 public key (PEM) that signed them.")
    ] = None,
    json: JsonFlag = False,
    data_dir: DataDir = None,
) -> None:
    """Walk the whole chain and hold it against the signed checkpoints. Exit 0 intact, 1 broken."""
    try:
        result = _screener(data_dir).audit_verify(checkpoints, public_key)
    except InvalidInputError as exc:
        err_console.print(f"[bold red]error[/bold red]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    if json:
        emit_json(result.to_dict())
    elif result.ok:
        console.print(
            f"[green]intact[/green]: {result.events:,} events (seq {result.first_seq}..{result.head_seq}), "
            f"{result.checkpoints} checkpoint(s) hold; head {result.head_hash}",
            highlight=False,
        )
    else:
        err_console.print(f"[bold red]BROKEN[/bold red]: {len(result.problems)} problem(s)")
        for problem in result.problems:
            err_console.print(f"  {problem}", highlight=False)
    raise typer.Exit(0 if result.ok else 1)


@audit_app.command("export")
@handle_errors
def export_cmd(
    from_: Annotated[str | None, typer.Option("--from", help="From this ISO date or time (UTC).")] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Up to (not including) this ISO date or time.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """The audit events for an examiner, with their hashes, as JSON lines or CSV."""
    chunks = _screener(data_dir).audit_export(fmt, from_, to)
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        for chunk in chunks:
            out.write(chunk)
    console.print(f"wrote {output}")


@audit_app.command("checkpoint")
@handle_errors
def checkpoint_cmd(data_dir: DataDir = None) -> None:
    """Sign the chain's head now (also done on each list load and daily by `serve`)."""
    checkpoint, path = _screener(data_dir).audit_checkpoint()
    console.print(
        f"checkpoint at event {checkpoint.seq} ({checkpoint.hash}) written to {path}", highlight=False
    )


@audit_app.command("purge")
@handle_errors
def purge_cmd(user: User = None, data_dir: DataDir = None) -> None:
    """Delete events older than the retention period (SANCTIONS_AUDIT_RETENTION_DAYS, 10 years)."""
    screener, actor = _acting(data_dir, user, Permission.ADMIN)
    count = screener.audit_purge(actor)
    console.print(f"{count:,} event(s) past retention deleted")


def register(app: typer.Typer) -> None:
    """Attach the audit commands (the alert commands hang on the books module's `alerts`)."""
    app.add_typer(audit_app, name="audit")
