"""Deploy a charter on any configured network; recorded per chain id, resumable.

    ape run deploy_charter --network ethereum:sepolia:node --account ALIAS \\
        --name "Riverside Commons" --concord concord.md --founder 0x... --founder 0x...

The deployment is recorded in ``deployments/<chain id>.json``: running the script again
deploys nothing twice, and a run interrupted after broadcasting resumes by waiting for
its transaction instead of sending another.
"""

from __future__ import annotations

from pathlib import Path

import click
from ape.cli import ConnectedProviderCommand, account_option
from panarchy import DeploymentRecord, deploy_charter
from panarchy.documents import Document, open_store, store_document
from panarchy.errors import PanarchyError

from scripts._sdk_bridge import ApeSigner, is_public, sdk_chain


@click.command(cls=ConnectedProviderCommand)
@account_option()
@click.option("--name", required=True, help="The charter's name.")
@click.option("--concord", "concord_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The founding concord (Markdown; first line is its title).")  # fmt: skip
@click.option("--founder", "founders", multiple=True, required=True,
              help="Founder address (repeat).")  # fmt: skip
@click.option("--deployments", type=click.Path(file_okay=False, path_type=Path),
              default=Path("deployments"), show_default=True)  # fmt: skip
@click.option("--yes", is_flag=True, help="Do not ask before broadcasting on a public network.")
def cli(account, name, concord_file, founders, deployments, yes):  # type: ignore[no-untyped-def]
    """Deploy (or resume deploying) a charter."""
    chain = sdk_chain()
    text = concord_file.read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    concord = store_document(
        open_store(), Document(kind="concord", title=title.lstrip("#").strip(), body=body.strip())
    )
    record = DeploymentRecord.for_chain(chain, deployments)
    if is_public(chain) and not yes:
        click.confirm(
            f"Deploy {name!r} on chain {chain.chain_id} from {account.address}?", abort=True
        )
    try:
        charter, steps = deploy_charter(
            chain, ApeSigner(account), record, name=name, concord_cid=concord,
            founders=list(founders),
        )  # fmt: skip
    except PanarchyError as exc:
        raise click.ClickException(f"{exc} ({type(exc).__name__})") from exc
    for step in steps:
        click.echo(f"{step.name}: {step.address} ({step.outcome})")
    click.echo(f"charter {name!r} at {charter.address}; concord {concord}; record {record.path}")
