"""The shipped build: within its size budget, and not stale against frontend/src."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from panarchy.app import STATIC_DIR

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
KB = 1000


def test_bundle_within_budget() -> None:
    """app.js ≤ 500 KB minified and ≤ 160 KB gzip (the README states the measured size)."""
    js = (STATIC_DIR / "app.js").read_bytes()
    assert len(js) <= 500 * KB, f"app.js is {len(js)} bytes minified"
    zipped = len(gzip.compress(js, compresslevel=9))
    assert zipped <= 160 * KB, f"app.js is {zipped} bytes gzipped"
    assert len(js) / (js.count(b"\n") + 1) > 2000, "app.js is not minified"


def test_shipped_build_is_not_stale(tmp_path: Path) -> None:
    """pysdk/panarchy/app/static is exactly what `npm run ship` builds from frontend/src."""
    if not (FRONTEND / "node_modules" / "esbuild").is_dir():
        pytest.fail("frontend/node_modules is missing: run `npm ci` in frontend/ (./dev test does)")
    node = shutil.which("node")
    assert node, "node is needed to build the app"
    subprocess.run([node, "build.mjs", "--out", str(tmp_path)], cwd=FRONTEND, check=True,
                   capture_output=True)  # fmt: skip
    built = sorted(p.name for p in tmp_path.iterdir())
    shipped = sorted(p.name for p in STATIC_DIR.iterdir())
    assert built == shipped
    for name in built:
        assert (tmp_path / name).read_bytes() == (STATIC_DIR / name).read_bytes(), (
            f"{name} is stale: run `npm run ship` in frontend/ and commit the result"
        )


def test_no_remote_urls_in_the_page() -> None:
    """Nothing is fetched from outside at run time: no http(s) URL in index.html or app.css."""
    for name in ("index.html", "app.css"):
        text = (STATIC_DIR / name).read_text()
        assert "http://" not in text and "https://" not in text, name


def test_readme_states_the_measured_size() -> None:
    """The README's bundle size is the shipped one (to within 5 KB)."""
    readme = (FRONTEND.parent / "README.md").read_text()
    m = re.search(r"`app.js` is (\d+) KB minified, (\d+) KB gzipped", readme)
    assert m, "README: state the bundle size as '`app.js` is N KB minified, M KB gzipped'"
    js = (STATIC_DIR / "app.js").read_bytes()
    assert abs(int(m.group(1)) - len(js) / KB) <= 5
    assert abs(int(m.group(2)) - len(gzip.compress(js, compresslevel=9)) / KB) <= 5
