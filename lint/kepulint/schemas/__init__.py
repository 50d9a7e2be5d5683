"""JSON Schemas: rules, configuration and the JSON report."""
