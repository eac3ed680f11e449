"""The study report: finished MLflow runs read back (``runs``) and written out (``render``)."""
