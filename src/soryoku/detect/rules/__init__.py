"""Built-in detections: SQL over the normalised CloudTrail, flow and DNS tables."""

from soryoku.detect.rules.model import OUTPUT_COLUMNS, RULES, Attack, Rule, rule

__all__ = ["OUTPUT_COLUMNS", "RULES", "Attack", "Rule", "rule"]
