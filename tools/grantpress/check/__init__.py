"""The editor's checks: rules, spelling, citation metadata."""
