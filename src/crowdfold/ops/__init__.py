"""Running Crowdfold for real: cache, background jobs, webhooks, mail, uploads, scale-out helpers.

See docs/operations.md for the settings and docs/deploy.md for the multi-machine topology.
"""
