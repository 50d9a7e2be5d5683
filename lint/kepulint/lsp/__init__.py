"""``kepulint server``: the Language Server Protocol over stdio (needs the ``lsp`` extra, pygls).

:mod:`.positions` converts kepulint's code-point columns to LSP's UTF-16 code units;
:mod:`.server` holds the pygls features (diagnostics, code actions, hover).
"""
