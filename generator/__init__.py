"""smrm-portal: client report portals for a social-media agency."""

__version__ = "0.1.0"
