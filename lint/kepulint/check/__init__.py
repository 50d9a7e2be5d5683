"""From a document and a rule set to diagnostics: kinds run, advice, fixes, suppressions."""
