"""Figures for the experiments (matplotlib, Agg-safe, each function returns a Figure)."""
