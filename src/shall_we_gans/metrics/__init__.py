"""Metrics that judge generated samples and predicted labels (not trainers)."""
