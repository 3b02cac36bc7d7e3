"""Crowdfold: a self-hostable crowdsourcing platform that speaks PYBOSSA's REST API."""

__version__ = "0.1.0"
