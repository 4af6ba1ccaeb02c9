"""Files in: find them (:mod:`.discover`), tell what they are from their bytes
(:mod:`.detect`), and run each through parse -> normalise without ever letting one bad file
stop the batch (:mod:`.pipeline`).  ``plantrail ingest`` is :mod:`.command`."""
