"""Source classifier pretraining and ADDA (Tzeng et al. 2017, arXiv 1702.05464)."""
