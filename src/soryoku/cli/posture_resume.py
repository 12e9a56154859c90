"""How ``soryoku posture`` runs an Organization or resumable scan: per-account progress on a terminal."""

from __future__ import annotations

from pathlib import Path

from soryoku.cli.common import console
from soryoku.core.result import ScanResult
from soryoku.posture.checkpoint import AccountDone, scan_accounts
from soryoku.posture.engine import PostureOptions


def default_checkpoint() -> Path:
    """The checkpoint file used when --resume is given without --checkpoint (per-user data dir)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("soryoku")) / "posture-checkpoint.jsonl"


def scan_with_progress(
    options: PostureOptions,
    *,
    checkpoint: Path | None,
    resume: bool,
    account_workers: int,
    show_progress: bool,
) -> list[ScanResult]:
    """Scan account by account (checkpointed when asked); a progress bar per account on a terminal."""
    if not show_progress:
        return scan_accounts(options, checkpoint=checkpoint, resume=resume, account_workers=account_workers)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(),
        transient=False,
    ) as progress:
        task = progress.add_task("accounts", total=None)

        def advance(done: AccountDone) -> None:
            how = "resumed" if done.resumed else f"{done.findings} findings, {done.gaps} gaps"
            progress.update(
                task, total=done.total, completed=done.done, description=f"{done.account_id} ({how})"
            )

        return scan_accounts(
            options, checkpoint=checkpoint, resume=resume, account_workers=account_workers, on_account=advance
        )


__all__ = ["default_checkpoint", "scan_with_progress"]
