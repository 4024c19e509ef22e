"""smrm-portal: client report portals for a social-media agency."""

import os

__version__ = "0.1.0"

# NumPy asks Linux for transparent huge pages for each large array. Where the kernel then
# compacts memory on the spot (`defrag` set to `madvise`, the default of many distributions),
# a check of a million rows now and then stalled in the kernel: 0.8–1.6 s of system time
# against 0.3–0.4 s. Set before NumPy is first imported; a value the user set is kept.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
