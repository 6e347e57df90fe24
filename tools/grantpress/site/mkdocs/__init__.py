"""Everything MkDocs-specific: config, plugin, build, serve, deploy."""
