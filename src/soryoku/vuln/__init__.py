"""soryoku.vuln."""
