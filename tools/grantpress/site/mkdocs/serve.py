"""``grantpress serve``: live preview of the whole site (every language tree).

MkDocs' own server, with the plugin watching ``project.yml``, ``monograph/``,
``bibliography/`` and ``templates/site/`` besides ``docs/`` and ``mkdocs.yml``:
saving a chapter or the register rebuilds and refreshes the open page.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import load_config

from grantpress.core.messages import t
from grantpress.site.mkdocs.build import find_config


def serve(root: Path, dev_addr: str | None = None, open_browser: bool = False) -> None:
    config_file = find_config(root.resolve())
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    options = {"dev_addr": dev_addr} if dev_addr else {}
    # MkDocs logs its address at INFO, which grantpress keeps quiet: say it here.
    address = load_config(str(config_file), **options).dev_addr
    print(t("serve.address", url=f"http://{address.host}:{address.port}/"), flush=True)
    mkdocs_serve(str(config_file), livereload=True, open_in_browser=open_browser, **options)
