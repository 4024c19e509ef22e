"""smrm-portal: client report portals for a social-media agency."""

import os

__version__ = "0.1.0"

# NumPy asks Linux for transparent huge pages for each large array. Where the kernel then
# compacts memory on the spot (`defrag` set to `madvise`, the default of many distributions),
# a check of a million rows now and then stalled in the kernel: 0.8–1.6 s of system time
# against 0.3–0.4 s. Set before NumPy is first imported; a value the user set is kept.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

# Arrow's allocator (mimalloc) reserves a gigabyte and asks for huge pages over all of it too.
# Each first touch of two megabytes then has the kernel clear (or compact) a whole huge page:
# at a million rows up to a quarter of the processor time, and 0.5–1.2 s of system time
# against 0.5–0.6 s without. Read by Arrow when it is first loaded.
os.environ.setdefault("MIMALLOC_ALLOW_THP", "0")
# OpenBLAS starts a thread per core when NumPy loads, which spin a while waiting for matrix
# work the tool never gives them: some 0.1 s of processor time taken from the CSV reader.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
