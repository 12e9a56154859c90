"""Collectors: one module per AWS service; get functions do the I/O, transforms build frozen models.

Nothing runs at import; the collector registry loads the service modules on first use.
"""

from soryoku.inventory.base import COLLECTORS, AwsResource, CollectContext, Collector, collector

__all__ = ["COLLECTORS", "AwsResource", "CollectContext", "Collector", "collector"]
