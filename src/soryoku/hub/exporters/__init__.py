"""soryoku.hub.exporters."""
