"""The posture engine: collectors → pure checks → Compliance Findings, with honest gaps.

Public entry point: :func:`soryoku.posture.engine.run_posture` with
:class:`soryoku.posture.engine.PostureOptions`.
"""
