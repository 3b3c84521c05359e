"""``panarchy app``: the web app on a fresh local chain, in one command.

Starts anvil on 127.0.0.1, deploys a small community (clauses in force, a proposal in
flight), starts the ballot relay, serves the app and ``config.json`` on 127.0.0.1 and
prints the URL; Ctrl-C stops everything (anvil by its PID).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from panarchy.chain import Chain, dev_accounts
from panarchy.errors import ConfigurationError


@click.command("app")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port of the web app (0: any free one).")  # fmt: skip
@click.option("--anvil-port", type=click.IntRange(0, 65535), default=0,
              help="Port of anvil [default: any free one].")  # fmt: skip
@click.option("--relay-port", type=click.IntRange(0, 65535), default=0,
              help="Port of the ballot relay [default: any free one].")  # fmt: skip
@click.option("--static", "static_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Serve this build instead of the shipped one "
              "(e.g. frontend/dist after `npm run build`).")  # fmt: skip
def app(port: int, anvil_port: int, relay_port: int, static_dir: Path | None) -> None:
    """Start anvil, a demo community, the ballot relay and the web app on 127.0.0.1.

    Example: panarchy app --port 8080
    """
    from panarchy.app import STATIC_DIR, AppServer, app_config, seed_community
    from panarchy.documents import open_store
    from panarchy.node import Anvil
    from panarchy.relay import Relay, ServiceConfig, SettlerConfig, Store, connect

    static = static_dir or STATIC_DIR
    if not (static / "index.html").is_file():
        raise ConfigurationError(
            f"no built app in {static}: run `npm ci && npm run build` in frontend/"
        )
    with (
        tempfile.TemporaryDirectory(prefix="panarchy-app-") as tmp,
        Anvil(port=anvil_port or None) as anvil,
    ):
        root = Path(tmp)
        click.echo(f"anvil (chain id {anvil.chain_id}) on {anvil.url}")
        chain = Chain.connect(anvil.url)
        store = open_store(data_dir=root / "data")
        community = seed_community(chain, store, root / "deployments")
        charter = community.charter.address
        click.echo(f"charter “{community.charter.name}” at {charter}; "
                   f"proposal #{community.open_proposal} is open for votes")  # fmt: skip
        click.echo(f"fund at {community.fund.address}; circle at {community.circle.address}")
        server = AppServer(
            app_config(
                rpc_url=anvil.url,
                chain_id=anvil.chain_id,
                charter=charter,
                factory=community.factory,
            ),
            static_dir=static,
            store=store,
            port=port,
        )
        origin = server.url.rstrip("/")
        relayer = dev_accounts()[9]
        the_relay = Relay(
            connect(anvil.url), relayer, Store(root / "relay.sqlite3"), [charter],
            settler_config=SettlerConfig(batch_age=1.0, confirmations=1, poll_interval=0.2),
            service_config=ServiceConfig(port=relay_port, cors_origin=origin),
        ).start()  # fmt: skip
        server.config.update(relayUrl=the_relay.url, ipfsGateway=origin)
        server.start()
        click.echo(f"ballot relay on {the_relay.url} (relayer {relayer.address})")
        click.echo(f"\n  the web app: {server.url}\n")
        click.echo("Wallet: add the network above (chain id 31337) and import an anvil dev "
                   "account; Ctrl-C stops everything.")  # fmt: skip
        try:
            while anvil.process and anvil.process.poll() is None:
                time.sleep(0.5)
            click.echo("anvil stopped; shutting down")
        except KeyboardInterrupt:
            click.echo("\nstopping")
        finally:
            server.stop()
            the_relay.stop()
            store.close()
