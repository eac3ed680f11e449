"""Typed parameter blocks, validated before any node runs (see ``validate_parameters``).

Each module here declares pydantic models for the top-level parameter blocks of one pipeline
and lists them in a module-level ``SCHEMAS = {"block_key": Model}``; ``SCHEMAS`` below
collects them all.
"""

from shall_we_gans.params.validate import SCHEMAS, ParameterError, validate_parameters

__all__ = ["SCHEMAS", "ParameterError", "validate_parameters"]
