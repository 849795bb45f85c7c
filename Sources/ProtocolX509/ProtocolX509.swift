// ProtocolX509: see the package layout in README.md.
