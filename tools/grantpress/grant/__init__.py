"""The funder's view: verification of the plan and the report."""
